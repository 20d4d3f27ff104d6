/// Attribute parsing shared by several factories.
extension OperatorRegistry {
  static func linearScores(_ c: NodeContext, targets: Int, intercepts: [Float]) throws -> LinearScores {
    guard let coefficients = try c.floats("coefficients"), !coefficients.isEmpty else { throw c.invalid("coefficients", "is required") }
    guard coefficients.count % targets == 0 else {
      throw c.invalid("coefficients", "has \(coefficients.count) values, not a multiple of \(targets) targets")
    }
    guard intercepts.isEmpty || intercepts.count == targets else {
      throw c.invalid("intercepts", "has \(intercepts.count) values for \(targets) targets")
    }
    return LinearScores(coefficients: coefficients, intercepts: intercepts, targets: targets)
  }

  static func nonEmpty(_ c: NodeContext, _ name: String, default value: Float) throws -> [Float] {
    let values = try c.floats(name) ?? []
    return values.isEmpty ? [value] : values
  }

  static func oneHotEncoder(_ c: NodeContext) throws -> any Kernel {
    let ints = try c.ints("cats_int64s") ?? []
    let strings = try c.strings("cats_strings") ?? []
    guard ints.isEmpty != strings.isEmpty else { throw c.invalid("cats_int64s", "or 'cats_strings' (exactly one) is required") }
    return OneHotEncoderKernel(
      intCategories: Dictionary(ints.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }),
      stringCategories: Dictionary(strings.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a }),
      categoryCount: max(ints.count, strings.count), zerosForUnknown: try c.int("zeros", default: 1) != 0, limits: c.limits)
  }

  /// Constant's value from whichever of its attribute forms is set.
  static func constantValue(_ c: NodeContext) throws -> Tensor {
    if let t = try c.tensor("value") { return t }
    if let f = try c.float("value_float") { return Tensor(shape: [], floats: [f]) }
    if let f = try c.floats("value_floats") { return Tensor(shape: [f.count], floats: f) }
    if let i = try c.int("value_int") { return Tensor(shape: [], int64s: [Int64(i)]) }
    if let i = try c.ints("value_ints") { return Tensor(shape: [i.count], int64s: i) }
    if let s = try c.string("value_string") { return Tensor(shape: [], strings: [s]) }
    if let s = try c.strings("value_strings") { return Tensor(shape: [s.count], strings: s) }
    throw c.invalid("value", "(or value_float(s), value_int(s), value_string(s)) is required")
  }
}
