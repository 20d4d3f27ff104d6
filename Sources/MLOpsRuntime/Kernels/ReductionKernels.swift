import Foundation

/// Softmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1); from 13 on it is
/// computed along `axis` (default -1).
struct SoftmaxKernel: Kernel {
  let axis: Int
  let coerceTo2D: Bool

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let axis = try normalizedAxis(self.axis, rank: x.rank)
    let outer = x.shape[..<axis].reduce(1, *)
    let (length, inner) =
      coerceTo2D
      ? (x.shape[axis...].reduce(1, *), 1)
      : (x.shape.isEmpty ? 1 : x.shape[axis], x.shape[(axis + 1)...].reduce(1, *))
    switch x.data {
    case .float(let v): return [.tensor(Tensor(shape: x.shape, floats: softmax(v, outer, length, inner)))]
    case .double(let v): return [.tensor(Tensor(shape: x.shape, doubles: softmax(v, outer, length, inner)))]
    default: throw ModelError.execution("Softmax needs float or double, got \(x.elementType)")
    }
  }

  private func softmax<T: BinaryFloatingPoint & ElementaryFunctionsLite>(_ v: [T], _ outer: Int, _ length: Int, _ inner: Int) -> [T] {
    var out = v
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var high = -T.greatestFiniteMagnitude
        for j in 0..<length { high = Swift.max(high, v[base + j * inner]) }
        var sum: T = 0
        for j in 0..<length {
          let e = T.expLite(v[base + j * inner] - high)
          out[base + j * inner] = e
          sum += e
        }
        for j in 0..<length { out[base + j * inner] /= sum }
      }
    }
    return out
  }
}

/// exp/log for generic float code without pulling in swift-numerics.
protocol ElementaryFunctionsLite {
  static func expLite(_ x: Self) -> Self
}

extension Float: ElementaryFunctionsLite {
  static func expLite(_ x: Float) -> Float { Foundation.exp(x) }
}

extension Double: ElementaryFunctionsLite {
  static func expLite(_ x: Double) -> Double { Foundation.exp(x) }
}

/// ArgMax along one axis, with keepdims and select_last_index.
struct ArgMaxKernel: Kernel {
  let axis: Int
  let keepDims: Bool
  let selectLast: Bool

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    switch x.data {
    case .float(let v): return [.tensor(try argMax(v, x.shape))]
    case .double(let v): return [.tensor(try argMax(v, x.shape))]
    case .int64(let v): return [.tensor(try argMax(v, x.shape))]
    default: throw ModelError.execution("ArgMax does not accept \(x.elementType)")
    }
  }

  private func argMax<T: Comparable>(_ v: [T], _ shape: [Int]) throws -> Tensor {
    let axis = try normalizedAxis(self.axis, rank: shape.count)
    guard !shape.isEmpty, shape[axis] > 0 else { throw ModelError.execution("ArgMax over an empty axis") }
    let outer = shape[..<axis].reduce(1, *)
    let length = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    var out = [Int64](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var best = 0
        for j in 1..<length {
          let candidate = v[base + j * inner]
          let current = v[base + best * inner]
          if candidate > current || (selectLast && candidate == current) { best = j }
        }
        out[o * inner + i] = Int64(best)
      }
    }
    var outShape = shape
    if keepDims { outShape[axis] = 1 } else { outShape.remove(at: axis) }
    return Tensor(shape: outShape, int64s: out)
  }
}

/// ReduceSum, ReduceMean, ReduceMax over a set of axes (attribute or, in newer opsets, input 1).
struct ReduceKernel: Kernel {
  enum Operation: String { case sum = "ReduceSum", mean = "ReduceMean", max = "ReduceMax" }
  let operation: Operation
  let axesAttribute: [Int64]?
  let axesFromInput: Bool
  let keepDims: Bool
  let noopWithEmptyAxes: Bool

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let axes = axesFromInput ? try inputs.optionalTensor(1)?.int64s("axes") : axesAttribute
    if (axes ?? []).isEmpty && noopWithEmptyAxes { return [.tensor(x)] }
    let reduced = Set(try (axes ?? []).map { try normalizedAxis(Int($0), rank: x.rank) })
    let all = reduced.isEmpty
    let outShapeKept = x.shape.enumerated().map { all || reduced.contains($0.offset) ? 1 : $0.element }
    let outStrides = strides(of: outShapeKept)
    var map = [Int](repeating: 0, count: x.elementCount)
    var index = [Int](repeating: 0, count: x.rank)
    for linear in 0..<x.elementCount {
      var target = 0
      for axis in 0..<x.rank where outShapeKept[axis] != 1 { target += index[axis] * outStrides[axis] }
      map[linear] = target
      var axis = x.rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < x.shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    let outCount = outShapeKept.reduce(1, *)
    let group = Swift.max(1, x.elementCount / Swift.max(outCount, 1))
    let shape = keepDims ? outShapeKept : x.shape.enumerated().filter { !(all || reduced.contains($0.offset)) }.map(\.element)
    switch x.data {
    case .float(let v): return [.tensor(Tensor(shape: shape, floats: reduce(v, map, outCount, group)))]
    case .double(let v): return [.tensor(Tensor(shape: shape, doubles: reduce(v, map, outCount, group)))]
    case .int64(let v): return [.tensor(Tensor(shape: shape, int64s: reduceIntegers(v, map, outCount, group)))]
    default: throw ModelError.execution("\(operation.rawValue) does not accept \(x.elementType)")
    }
  }

  private func reduce<T: BinaryFloatingPoint>(_ v: [T], _ map: [Int], _ count: Int, _ group: Int) -> [T] {
    var out = [T](repeating: operation == .max ? -T.infinity : 0, count: count)
    for (i, value) in v.enumerated() {
      if operation == .max { out[map[i]] = Swift.max(out[map[i]], value) } else { out[map[i]] += value }
    }
    if operation == .mean { for i in 0..<count { out[i] /= T(group) } }
    return out
  }

  private func reduceIntegers(_ v: [Int64], _ map: [Int], _ count: Int, _ group: Int) -> [Int64] {
    var out = [Int64](repeating: operation == .max ? .min : 0, count: count)
    for (i, value) in v.enumerated() {
      if operation == .max { out[map[i]] = Swift.max(out[map[i]], value) } else { out[map[i]] &+= value }
    }
    if operation == .mean { for i in 0..<count { out[i] /= Int64(group) } }
    return out
  }
}
