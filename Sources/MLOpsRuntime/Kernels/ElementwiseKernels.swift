import Foundation

/// Add, Sub, Mul, Div with broadcasting on float, double and int64. Integer arithmetic wraps as
/// C++ does; integer division by zero is an error instead of a crash.
struct ArithmeticKernel: Kernel {
  enum Operation: String { case add = "Add", sub = "Sub", mul = "Mul", div = "Div" }
  let operation: Operation
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let a = try inputs.tensor(0)
    let b = try inputs.tensor(1)
    let shape = try Broadcast([a.shape, b.shape], limits: limits)
    let data: TensorData
    switch (a.data, b.data) {
    case (.float(let x), .float(let y)): data = .float(floating(shape, x, y))
    case (.double(let x), .double(let y)): data = .double(floating(shape, x, y))
    case (.int64(let x), .int64(let y)): data = .int64(try integer(shape, x, y))
    default: throw ModelError.execution("operands must be the same numeric type, got \(a.elementType) and \(b.elementType)")
    }
    return [.tensor(Tensor(shape: shape.shape, data: data))]
  }

  private func floating<T: BinaryFloatingPoint>(_ shape: Broadcast, _ x: [T], _ y: [T]) -> [T] {
    switch operation {
    case .add: shape.apply(x, y, +)
    case .sub: shape.apply(x, y, -)
    case .mul: shape.apply(x, y, *)
    case .div: shape.apply(x, y, /)
    }
  }

  private func integer(_ shape: Broadcast, _ x: [Int64], _ y: [Int64]) throws -> [Int64] {
    switch operation {
    case .add: return shape.apply(x, y, &+)
    case .sub: return shape.apply(x, y, &-)
    case .mul: return shape.apply(x, y, &*)
    case .div:
      if y.contains(0) { throw ModelError.execution("integer division by zero") }
      return shape.apply(x, y) { $0.dividedReportingOverflow(by: $1).partialValue }
    }
  }
}

/// Less, Greater, Equal with broadcasting; Equal also compares strings and bools.
struct ComparisonKernel: Kernel {
  enum Operation: String { case less = "Less", greater = "Greater", equal = "Equal" }
  let operation: Operation
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let a = try inputs.tensor(0)
    let b = try inputs.tensor(1)
    let shape = try Broadcast([a.shape, b.shape], limits: limits)
    let result: [Bool]
    switch (a.data, b.data) {
    case (.float(let x), .float(let y)): result = compare(shape, x, y)
    case (.double(let x), .double(let y)): result = compare(shape, x, y)
    case (.int64(let x), .int64(let y)): result = compare(shape, x, y)
    case (.string(let x), .string(let y)) where operation == .equal: result = shape.apply(x, y, ==)
    case (.bool(let x), .bool(let y)) where operation == .equal: result = shape.apply(x, y, ==)
    default:
      throw ModelError.execution("cannot compare \(a.elementType) with \(b.elementType)")
    }
    return [.tensor(Tensor(shape: shape.shape, bools: result))]
  }

  private func compare<T: Comparable>(_ shape: Broadcast, _ x: [T], _ y: [T]) -> [Bool] {
    switch operation {
    case .less: shape.apply(x, y, <)
    case .greater: shape.apply(x, y, >)
    case .equal: shape.apply(x, y, ==)
    }
  }
}

/// Relu, Sigmoid, Tanh, Exp, Log, Abs, Sqrt on float/double (Abs and Relu on int64 too), and Not.
struct UnaryKernel: Kernel {
  enum Operation: String {
    case relu = "Relu", sigmoid = "Sigmoid", tanh = "Tanh", exp = "Exp", log = "Log", abs = "Abs", sqrt = "Sqrt", not = "Not"
  }
  let operation: Operation

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let data: TensorData
    switch x.data {
    case .float(let v): data = .float(v.map(floatOp))
    case .double(let v): data = .double(v.map(doubleOp))
    case .int64(let v) where operation == .abs: data = .int64(v.map { $0 == .min ? .min : Swift.abs($0) })
    case .int64(let v) where operation == .relu: data = .int64(v.map { Swift.max($0, 0) })
    case .bool(let v) where operation == .not: data = .bool(v.map { !$0 })
    default: throw ModelError.execution("\(operation.rawValue) does not accept \(x.elementType)")
    }
    return [.tensor(Tensor(shape: x.shape, data: data))]
  }

  private func floatOp(_ v: Float) -> Float {
    switch operation {
    case .relu: v > 0 ? v : 0
    case .sigmoid: v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
    case .tanh: Foundation.tanh(v)
    case .exp: Foundation.exp(v)
    case .log: Foundation.log(v)
    case .abs: Swift.abs(v)
    case .sqrt: v.squareRoot()
    case .not: v
    }
  }

  private func doubleOp(_ v: Double) -> Double {
    switch operation {
    case .relu: v > 0 ? v : 0
    case .sigmoid: v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
    case .tanh: Foundation.tanh(v)
    case .exp: Foundation.exp(v)
    case .log: Foundation.log(v)
    case .abs: Swift.abs(v)
    case .sqrt: v.squareRoot()
    case .not: v
    }
  }
}

/// Where(condition, x, y) with three-way broadcasting.
struct WhereKernel: Kernel {
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let c = try inputs.tensor(0)
    let x = try inputs.tensor(1)
    let y = try inputs.tensor(2)
    guard case .bool(let condition) = c.data else { throw ModelError.execution("the condition must be bool, got \(c.elementType)") }
    guard x.elementType == y.elementType else {
      throw ModelError.execution("x and y must have one type, got \(x.elementType) and \(y.elementType)")
    }
    let shape = try Broadcast([c.shape, x.shape, y.shape], limits: limits)
    var indices = [Int](repeating: 0, count: shape.count)
    let offset = x.data.count
    for i in 0..<shape.count {
      indices[i] = condition[shape.source(0, i)] ? shape.source(1, i) : offset + shape.source(2, i)
    }
    var both = x.data
    both.append(contentsOf: y.data, range: 0..<y.data.count)
    return [.tensor(Tensor(shape: shape.shape, data: both.gathered(indices)))]
  }
}

/// Clip to [min, max]: attributes before opset 11, optional scalar inputs from 11 on.
struct ClipKernel: Kernel {
  let minAttribute: Float?
  let maxAttribute: Float?

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let low = try inputs.optionalTensor(1)
    let high = try inputs.optionalTensor(2)
    for bound in [low, high].compactMap({ $0 }) where bound.elementType != x.elementType || bound.elementCount != 1 {
      throw ModelError.execution("min and max must be \(x.elementType) scalars")
    }
    switch x.data {
    case .float(let v):
      let lo = low.flatMap { if case .float(let b) = $0.data { b[0] } else { nil } } ?? minAttribute ?? -.greatestFiniteMagnitude
      let hi = high.flatMap { if case .float(let b) = $0.data { b[0] } else { nil } } ?? maxAttribute ?? .greatestFiniteMagnitude
      return [.tensor(Tensor(shape: x.shape, floats: v.map { Swift.min(Swift.max($0, lo), hi) }))]
    case .double(let v):
      let lo = low.flatMap { if case .double(let b) = $0.data { b[0] } else { nil } } ?? -.greatestFiniteMagnitude
      let hi = high.flatMap { if case .double(let b) = $0.data { b[0] } else { nil } } ?? .greatestFiniteMagnitude
      return [.tensor(Tensor(shape: x.shape, doubles: v.map { Swift.min(Swift.max($0, lo), hi) }))]
    case .int64(let v):
      let lo = low.flatMap { if case .int64(let b) = $0.data { b[0] } else { nil } } ?? .min
      let hi = high.flatMap { if case .int64(let b) = $0.data { b[0] } else { nil } } ?? .max
      return [.tensor(Tensor(shape: x.shape, int64s: v.map { Swift.min(Swift.max($0, lo), hi) }))]
    default:
      throw ModelError.execution("Clip does not accept \(x.elementType)")
    }
  }
}
