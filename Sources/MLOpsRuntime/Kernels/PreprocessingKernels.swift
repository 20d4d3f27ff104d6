/// ai.onnx.ml Normalizer: each row divided by its MAX, L1 or L2 norm; float output.
struct NormalizerKernel: Kernel {
  enum Norm: String { case max = "MAX", l1 = "L1", l2 = "L2" }
  let norm: Norm

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    var values = try x.floatValues("X")
    let (rows, columns) = try x.matrixDimensions("X")
    for r in 0..<rows {
      let row = r * columns..<(r + 1) * columns
      let scale: Float
      switch norm {
      case .max: scale = values[row].max() ?? 0
      case .l1: scale = values[row].reduce(0) { $0 + abs($1) }
      case .l2: scale = values[row].reduce(0) { $0 + $1 * $1 }.squareRoot()
      }
      if scale != 0 { for i in row { values[i] /= scale } }
    }
    return [.tensor(Tensor(shape: x.shape, floats: values))]
  }
}

/// ai.onnx.ml Scaler: (x − offset) · scale per column (or one value for all); float output.
struct ScalerKernel: Kernel {
  let offset: [Float]
  let scale: [Float]

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    var values = try x.floatValues("X")
    let (_, columns) = try x.matrixDimensions("X")
    for parameter in [offset, scale] where parameter.count != 1 && parameter.count != columns {
      throw ModelError.input("X has \(columns) columns; the scaler has \(parameter.count) values")
    }
    for i in values.indices {
      let c = i % max(columns, 1)
      values[i] = (values[i] - offset[offset.count == 1 ? 0 : c]) * scale[scale.count == 1 ? 0 : c]
    }
    return [.tensor(Tensor(shape: x.shape, floats: values))]
  }
}

/// ai.onnx.ml Imputer: replaces `replaced` (NaN by default for floats) with a per-column value.
struct ImputerKernel: Kernel {
  let floats: [Float]
  let replacedFloat: Float
  let ints: [Int64]
  let replacedInt: Int64

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let (_, columns) = try x.matrixDimensions("X")
    switch x.data {
    case .float(var v):
      try check(floats.count, columns)
      for i in v.indices where v[i] == replacedFloat || (replacedFloat.isNaN && v[i].isNaN) {
        v[i] = floats[floats.count == 1 ? 0 : i % columns]
      }
      return [.tensor(Tensor(shape: x.shape, floats: v))]
    case .int64(var v):
      try check(ints.count, columns)
      for i in v.indices where v[i] == replacedInt { v[i] = ints[ints.count == 1 ? 0 : i % columns] }
      return [.tensor(Tensor(shape: x.shape, int64s: v))]
    default:
      throw ModelError.input("Imputer takes float or int64, got \(x.elementType)")
    }
  }

  private func check(_ count: Int, _ columns: Int) throws {
    guard count == 1 || count == columns else {
      throw ModelError.input("X has \(columns) columns; the imputer has \(count) values")
    }
  }
}

/// ai.onnx.ml Binarizer: 1 where x > threshold, else 0, same type.
struct BinarizerKernel: Kernel {
  let threshold: Float

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    switch x.data {
    case .float(let v): return [.tensor(Tensor(shape: x.shape, floats: v.map { $0 > threshold ? 1 : 0 }))]
    case .double(let v): return [.tensor(Tensor(shape: x.shape, doubles: v.map { $0 > Double(threshold) ? 1 : 0 }))]
    case .int64(let v): return [.tensor(Tensor(shape: x.shape, int64s: v.map { Float($0) > threshold ? 1 : 0 }))]
    default: throw ModelError.input("Binarizer takes numbers, got \(x.elementType)")
    }
  }
}

/// ai.onnx.ml OneHotEncoder: appends a category axis; unknown values are all zeros (zeros=1)
/// or an error (zeros=0).
struct OneHotEncoderKernel: Kernel {
  let intCategories: [Int64: Int]
  let stringCategories: [String: Int]
  let categoryCount: Int
  let zerosForUnknown: Bool
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let shape = x.shape + [categoryCount]
    var out = [Float](repeating: 0, count: try checkedCount(shape, limits: limits))
    func set(_ i: Int, _ position: Int?, _ value: String) throws {
      if let position {
        out[i * categoryCount + position] = 1
      } else if !zerosForUnknown {
        throw ModelError.input("value '\(value)' is not one of the encoder's categories")
      }
    }
    switch x.data {
    case .string(let v): for (i, s) in v.enumerated() { try set(i, stringCategories[s], s) }
    case .int64(let v): for (i, n) in v.enumerated() { try set(i, intCategories[n], String(n)) }
    case .float(let v):
      for (i, f) in v.enumerated() { try set(i, Int64(exactly: f.rounded(.towardZero)).flatMap { intCategories[$0] }, "\(f)") }
    case .double(let v):
      for (i, f) in v.enumerated() { try set(i, Int64(exactly: f.rounded(.towardZero)).flatMap { intCategories[$0] }, "\(f)") }
    case .bool: throw ModelError.input("OneHotEncoder does not take bool")
    }
    return [.tensor(Tensor(shape: shape, floats: out))]
  }
}

/// ai.onnx.ml ArrayFeatureExtractor: selects columns of the last axis by index.
struct ArrayFeatureExtractorKernel: Kernel {
  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let picks = try inputs.tensor(1).int64s("Y")
    guard let last = x.shape.last else { throw ModelError.input("X must have rank ≥ 1") }
    let columns = try picks.map { p -> Int in
      guard p >= 0, p < last else { throw ModelError.input("column index \(p) is out of range for \(last) columns") }
      return Int(p)
    }
    let rows = x.elementCount / max(last, 1)
    var indices: [Int] = []
    indices.reserveCapacity(rows * columns.count)
    for r in 0..<rows { for c in columns { indices.append(r * last + c) } }
    let shape = x.rank == 1 ? [1, columns.count] : Array(x.shape.dropLast()) + [columns.count]
    return [.tensor(Tensor(shape: shape, data: x.data.gathered(indices)))]
  }
}

/// ai.onnx.ml ZipMap: [N, C] probabilities → one class → probability map per row.
struct ZipMapKernel: Kernel {
  let labels: ClassProbabilityMaps.Labels

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let (_, columns) = try x.matrixDimensions("X")
    guard columns == labels.count else {
      throw ModelError.input("X has \(columns) columns; ZipMap has \(labels.count) class labels")
    }
    return [.maps(ClassProbabilityMaps(labels: labels, probabilities: try x.floatValues("X")))]
  }
}
