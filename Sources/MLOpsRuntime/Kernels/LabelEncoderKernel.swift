/// ai.onnx.ml LabelEncoder: maps each key (int64, string or float) to a value, or to the default.
/// Opset 1's `classes_strings` form maps strings to their index and back.
struct LabelEncoderKernel: Kernel {
  enum Key: Hashable, Sendable {
    case int(Int64), string(String), float(Float)
  }

  /// Key → position in `values`; position `values.count` is the default.
  let table: [Key: Int]
  let keyType: ElementType
  /// Values followed by the default as the last element.
  let values: TensorData

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    guard x.elementType == keyType else {
      throw ModelError.input("LabelEncoder maps \(keyType) keys, got \(x.elementType)")
    }
    let fallback = values.count - 1
    let positions: [Int]
    switch x.data {
    case .int64(let v): positions = v.map { table[.int($0)] ?? fallback }
    case .string(let v): positions = v.map { table[.string($0)] ?? fallback }
    case .float(let v): positions = v.map { table[.float($0)] ?? fallback }
    default: throw ModelError.input("LabelEncoder does not take \(x.elementType)")
    }
    return [.tensor(Tensor(shape: x.shape, data: values.gathered(positions)))]
  }

  static func make(_ c: NodeContext) throws -> LabelEncoderKernel {
    if let classes = try c.strings("classes_strings"), c.opset < 2 {
      return try classesForm(c, classes)
    }
    let keys: [Key]
    let keyType: ElementType
    if let k = try c.strings("keys_strings") {
      (keys, keyType) = (k.map(Key.string), .string)
    } else if let k = try c.ints("keys_int64s") {
      (keys, keyType) = (k.map(Key.int), .int64)
    } else if let k = try c.floats("keys_floats") {
      (keys, keyType) = (k.map(Key.float), .float)
    } else if let t = try c.tensor("keys_tensor") {
      (keys, keyType) = (try tensorKeys(t, c), t.elementType)
    } else {
      throw c.invalid("keys_strings", "(or keys_int64s, keys_floats, keys_tensor) is required")
    }
    let values: TensorData
    if let v = try c.strings("values_strings") {
      values = .string(v + [try c.string("default_string") ?? "_Unused"])
    } else if let v = try c.ints("values_int64s") {
      values = .int64(v + [Int64(try c.int("default_int64") ?? -1)])
    } else if let v = try c.floats("values_floats") {
      values = .float(v + [try c.float("default_float") ?? -0.0])
    } else if let t = try c.tensor("values_tensor") {
      values = try tensorValues(t, c)
    } else {
      throw c.invalid("values_strings", "(or values_int64s, values_floats, values_tensor) is required")
    }
    guard values.count - 1 == keys.count else {
      throw c.invalid("values", "has \(values.count - 1) entries for \(keys.count) keys")
    }
    var table: [Key: Int] = [:]
    for (i, key) in keys.enumerated() where table[key] == nil { table[key] = i }
    return LabelEncoderKernel(table: table, keyType: keyType, values: values)
  }

  private static func classesForm(_ c: NodeContext, _ classes: [String]) throws -> LabelEncoderKernel {
    // Direction follows the default attribute given: default_int64 means strings → ints.
    if c.has("default_string") && !c.has("default_int64") {
      let table = Dictionary(classes.indices.map { (Key.int(Int64($0)), $0) }, uniquingKeysWith: { a, _ in a })
      return LabelEncoderKernel(table: table, keyType: .int64, values: .string(classes + [try c.string("default_string") ?? "_Unused"]))
    }
    let table = Dictionary(classes.enumerated().map { (Key.string($0.element), $0.offset) }, uniquingKeysWith: { a, _ in a })
    let indices = (0..<classes.count).map(Int64.init) + [Int64(try c.int("default_int64") ?? -1)]
    return LabelEncoderKernel(table: table, keyType: .string, values: .int64(indices))
  }

  private static func tensorKeys(_ t: Tensor, _ c: NodeContext) throws -> [Key] {
    switch t.data {
    case .int64(let v): return v.map(Key.int)
    case .string(let v): return v.map(Key.string)
    case .float(let v): return v.map(Key.float)
    default: throw c.invalid("keys_tensor", "must hold int64, string or float")
    }
  }

  private static func tensorValues(_ t: Tensor, _ c: NodeContext) throws -> TensorData {
    let fallback = try c.tensor("default_tensor")
    switch t.data {
    case .int64(let v): return .int64(v + [fallback.flatMap { if case .int64(let d) = $0.data { d.first } else { nil } } ?? -1])
    case .string(let v): return .string(v + [fallback.flatMap { if case .string(let d) = $0.data { d.first } else { nil } } ?? "_Unused"])
    case .float(let v): return .float(v + [fallback.flatMap { if case .float(let d) = $0.data { d.first } else { nil } } ?? -0.0])
    default: throw c.invalid("values_tensor", "must hold int64, string or float")
    }
  }
}
