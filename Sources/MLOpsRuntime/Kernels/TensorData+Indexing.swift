/// Type-independent data movement: shape operators (Transpose, Slice, Gather, Concat, …) are
/// index selections, written once here instead of once per element type.
extension TensorData {
  /// The elements at `indices`, in that order.
  func gathered(_ indices: [Int]) -> TensorData {
    switch self {
    case .float(let v): .float(indices.map { v[$0] })
    case .double(let v): .double(indices.map { v[$0] })
    case .int64(let v): .int64(indices.map { v[$0] })
    case .string(let v): .string(indices.map { v[$0] })
    case .bool(let v): .bool(indices.map { v[$0] })
    }
  }

  /// Empty storage of the same type.
  func emptyLike() -> TensorData {
    switch self {
    case .float: .float([])
    case .double: .double([])
    case .int64: .int64([])
    case .string: .string([])
    case .bool: .bool([])
    }
  }

  /// Appends `other`'s elements; both must have the same element type (checked by callers).
  mutating func append(contentsOf other: TensorData, range: Range<Int>) {
    switch (self, other) {
    case (.float(var a), .float(let b)):
      a.append(contentsOf: b[range])
      self = .float(a)
    case (.double(var a), .double(let b)):
      a.append(contentsOf: b[range])
      self = .double(a)
    case (.int64(var a), .int64(let b)):
      a.append(contentsOf: b[range])
      self = .int64(a)
    case (.string(var a), .string(let b)):
      a.append(contentsOf: b[range])
      self = .string(a)
    case (.bool(var a), .bool(let b)):
      a.append(contentsOf: b[range])
      self = .bool(a)
    default: break
    }
  }
}

/// Row-major strides for a shape.
func strides(of shape: [Int]) -> [Int] {
  var result = [Int](repeating: 1, count: shape.count)
  var running = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    result[axis] = running
    running *= shape[axis]
  }
  return result
}

/// Resolves a possibly negative axis against a rank, naming the attribute when out of range.
func normalizedAxis(_ axis: Int, rank: Int, what: String = "axis") throws -> Int {
  let resolved = axis < 0 ? axis + rank : axis
  guard resolved >= 0, resolved < rank else {
    throw ModelError.execution("\(what) \(axis) is out of range for rank \(rank)")
  }
  return resolved
}

/// The product of dimensions, refusing shapes beyond the tensor limit.
func checkedCount(_ shape: [Int], limits: ModelLimits) throws -> Int {
  var count = 1
  for d in shape {
    guard d >= 0 else { throw ModelError.execution("shape \(shape) has a negative dimension") }
    let (p, overflow) = count.multipliedReportingOverflow(by: d)
    guard !overflow, p <= limits.maxTensorElements else {
      throw ModelError.limit("a tensor of shape \(shape) exceeds \(limits.maxTensorElements) elements")
    }
    count = p
  }
  return count
}

extension Array where Element == Value? {
  /// Input `index` as a tensor, or an error naming the position.
  func tensor(_ index: Int) throws -> Tensor {
    guard index < count, let value = self[index] else { throw ModelError.execution("input \(index) is missing") }
    guard case .tensor(let t) = value else { throw ModelError.execution("input \(index) must be a tensor, got a map sequence") }
    return t
  }

  /// Optional input `index` as a tensor, nil when omitted.
  func optionalTensor(_ index: Int) throws -> Tensor? {
    guard index < count, self[index] != nil else { return nil }
    return try tensor(index)
  }
}

extension Tensor {
  /// Integer contents (axes, shapes, indices), refusing other types.
  func int64s(_ what: String) throws -> [Int64] {
    guard case .int64(let v) = data else { throw ModelError.execution("\(what) must be int64, got \(elementType)") }
    return v
  }

  /// Numeric contents widened/narrowed to Float, as the ML operators compute in float.
  func floatValues(_ what: String) throws -> [Float] {
    switch data {
    case .float(let v): return v
    case .double(let v): return v.map { Float($0) }
    case .int64(let v): return v.map { Float($0) }
    case .bool(let v): return v.map { $0 ? 1 : 0 }
    case .string: throw ModelError.execution("\(what) must be numeric, got string")
    }
  }

  /// Rows and columns of a [N, C] (or [C], one row) feature matrix.
  func matrixDimensions(_ what: String) throws -> (rows: Int, columns: Int) {
    switch rank {
    case 1: return (1, shape[0])
    case 2: return (shape[0], shape[1])
    default: throw ModelError.execution("\(what) must be 1-D or 2-D, got shape \(shape)")
    }
  }
}
