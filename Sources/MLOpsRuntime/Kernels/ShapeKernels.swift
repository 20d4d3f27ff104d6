/// Identity, and Constant (whose value is fixed at load).
struct IdentityKernel: Kernel {
  func run(_ inputs: [Value?]) throws -> [Value] {
    guard let value = inputs.first ?? nil else { throw ModelError.execution("input 0 is missing") }
    return [value]
  }
}

struct ConstantKernel: Kernel {
  let value: Tensor
  func run(_ inputs: [Value?]) throws -> [Value] { [.tensor(value)] }
}

/// Reshape: 0 copies the input dimension (unless allowzero), -1 is inferred.
struct ReshapeKernel: Kernel {
  let allowZero: Bool
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let requested = try inputs.tensor(1).int64s("shape")
    var shape = try requested.enumerated().map { axis, d -> Int in
      guard let d = Int(exactly: d), d >= -1 else { throw ModelError.execution("shape \(requested) has an invalid dimension") }
      if d == 0 && !allowZero {
        guard axis < x.rank else { throw ModelError.execution("shape \(requested) copies dimension \(axis) of a rank-\(x.rank) input") }
        return x.shape[axis]
      }
      return d
    }
    let inferred = shape.indices.filter { shape[$0] == -1 }
    guard inferred.count <= 1 else { throw ModelError.execution("shape \(requested) has more than one -1") }
    let known = try checkedCount(shape.filter { $0 != -1 }, limits: limits)
    if let axis = inferred.first {
      guard known > 0, x.elementCount % known == 0 else {
        throw ModelError.execution("cannot reshape \(x.shape) to \(requested)")
      }
      shape[axis] = x.elementCount / known
    }
    guard shape.reduce(1, *) == x.elementCount else { throw ModelError.execution("cannot reshape \(x.shape) to \(requested)") }
    return [.tensor(Tensor(shape: shape, data: x.data))]
  }
}

/// Flatten to 2-D at `axis`.
struct FlattenKernel: Kernel {
  let axis: Int
  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let axis = self.axis < 0 ? self.axis + x.rank : self.axis
    guard axis >= 0, axis <= x.rank else { throw ModelError.execution("axis \(self.axis) is out of range for rank \(x.rank)") }
    let outer = x.shape[..<axis].reduce(1, *)
    return [.tensor(Tensor(shape: [outer, x.elementCount / Swift.max(outer, 1)], data: x.data))]
  }
}

/// Squeeze (no axes: every 1) and Unsqueeze; axes from the attribute (< 13) or input 1.
struct SqueezeKernel: Kernel {
  let unsqueeze: Bool
  let axesAttribute: [Int64]?
  let axesFromInput: Bool

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let axes = axesFromInput ? try inputs.optionalTensor(1)?.int64s("axes") : axesAttribute
    if unsqueeze {
      guard let axes, !axes.isEmpty else { throw ModelError.execution("Unsqueeze needs axes") }
      let rank = x.rank + axes.count
      let inserted = Set(try axes.map { try normalizedAxis(Int($0), rank: rank) })
      guard inserted.count == axes.count else { throw ModelError.execution("axes \(axes) repeat an axis") }
      var source = x.shape.makeIterator()
      return [.tensor(Tensor(shape: (0..<rank).map { inserted.contains($0) ? 1 : source.next() ?? 1 }, data: x.data))]
    }
    let removed = try axes.map { try Set($0.map { try normalizedAxis(Int($0), rank: x.rank) }) }
    for axis in removed ?? [] where x.shape[axis] != 1 {
      throw ModelError.execution("cannot squeeze axis \(axis) of size \(x.shape[axis])")
    }
    let shape = x.shape.enumerated().filter { axis, size in
      if let removed { return !removed.contains(axis) }
      return size != 1
    }.map(\.element)
    return [.tensor(Tensor(shape: shape, data: x.data))]
  }
}

/// Shape, with opset 15's start/end.
struct ShapeKernel: Kernel {
  let start: Int
  let end: Int?
  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + x.rank : v, 0), x.rank) }
    let (s, e) = (clamp(start), clamp(end ?? x.rank))
    let dims = s < e ? x.shape[s..<e].map(Int64.init) : []
    return [.tensor(Tensor(shape: [dims.count], int64s: dims))]
  }
}

/// Transpose by `perm` (default: reversed axes).
struct TransposeKernel: Kernel {
  let perm: [Int]?
  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let perm = perm ?? Array((0..<x.rank).reversed())
    guard perm.sorted() == Array(0..<x.rank) else { throw ModelError.execution("perm \(perm) is not a permutation of rank \(x.rank)") }
    let shape = perm.map { x.shape[$0] }
    let inStrides = strides(of: x.shape)
    var indices = [Int](repeating: 0, count: x.elementCount)
    var index = [Int](repeating: 0, count: x.rank)
    for linear in 0..<x.elementCount {
      var source = 0
      for axis in 0..<x.rank { source += index[axis] * inStrides[perm[axis]] }
      indices[linear] = source
      var axis = x.rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return [.tensor(Tensor(shape: shape, data: x.data.gathered(indices)))]
  }
}

/// Concat along `axis`; all inputs share a type and every other dimension.
struct ConcatKernel: Kernel {
  let axis: Int
  func run(_ inputs: [Value?]) throws -> [Value] {
    let parts = try (0..<inputs.count).compactMap { inputs[$0] == nil ? nil : try inputs.tensor($0) }
    guard let first = parts.first else { throw ModelError.execution("Concat needs inputs") }
    let axis = try normalizedAxis(self.axis, rank: first.rank)
    for part in parts
    where part.elementType != first.elementType || part.rank != first.rank
      || part.shape.enumerated().contains(where: { $0.offset != axis && $0.element != first.shape[$0.offset] })
    {
      throw ModelError.execution("cannot concatenate shapes \(parts.map(\.shape)) (\(parts.map(\.elementType))) on axis \(axis)")
    }
    let outer = first.shape[..<axis].reduce(1, *)
    var data = first.data.emptyLike()
    for o in 0..<outer {
      for part in parts {
        let chunk = part.shape[axis...].reduce(1, *)
        data.append(contentsOf: part.data, range: o * chunk..<(o + 1) * chunk)
      }
    }
    var shape = first.shape
    shape[axis] = parts.map { $0.shape[axis] }.reduce(0, +)
    return [.tensor(Tensor(shape: shape, data: data))]
  }
}

/// Gather along `axis` with int64 indices of any shape; negative indices count from the end.
struct GatherKernel: Kernel {
  let axis: Int
  let limits: ModelLimits
  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let idx = try inputs.tensor(1)
    let indices = try idx.int64s("indices")
    let axis = try normalizedAxis(self.axis, rank: x.rank)
    let outer = x.shape[..<axis].reduce(1, *)
    let length = x.shape[axis]
    let inner = x.shape[(axis + 1)...].reduce(1, *)
    let resolved = try indices.map { i -> Int in
      let r = i < 0 ? Int(i) + length : Int(i)
      guard r >= 0, r < length else { throw ModelError.execution("index \(i) is out of range for axis \(axis) of size \(length)") }
      return r
    }
    let shape = Array(x.shape[..<axis]) + idx.shape + Array(x.shape[(axis + 1)...])
    var map: [Int] = []
    map.reserveCapacity(try checkedCount(shape, limits: limits))
    for o in 0..<outer {
      for r in resolved { for i in 0..<inner { map.append((o * length + r) * inner + i) } }
    }
    return [.tensor(Tensor(shape: shape, data: x.data.gathered(map)))]
  }
}

/// Slice: starts/ends/axes/steps as attributes (< 10) or inputs, clamped as numpy does.
struct SliceKernel: Kernel {
  let attributes: (starts: [Int64], ends: [Int64], axes: [Int64]?)?

  func run(_ inputs: [Value?]) throws -> [Value] {
    let x = try inputs.tensor(0)
    let starts = try attributes?.starts ?? inputs.tensor(1).int64s("starts")
    let ends = try attributes?.ends ?? inputs.tensor(2).int64s("ends")
    let axes = try attributes.map { $0.axes } ?? inputs.optionalTensor(3)?.int64s("axes")
    let steps = attributes == nil ? try inputs.optionalTensor(4)?.int64s("steps") : nil
    guard starts.count == ends.count, axes.map({ $0.count == starts.count }) ?? true, steps.map({ $0.count == starts.count }) ?? true else {
      throw ModelError.execution("starts, ends, axes and steps must have one length")
    }
    var begin = [Int](repeating: 0, count: x.rank)
    var step = [Int](repeating: 1, count: x.rank)
    var shape = x.shape
    for i in starts.indices {
      let axis = try normalizedAxis(Int(axes?[i] ?? Int64(i)), rank: x.rank)
      let dim = x.shape[axis]
      let s = Int(clamping: Swift.min(Swift.max(steps?[i] ?? 1, -Int64(dim) - 1), Int64(dim) + 1))
      guard s != 0 else { throw ModelError.execution("a slice step is 0") }
      func resolve(_ v: Int64, low: Int, high: Int) -> Int {
        let r = v < 0 ? Int(clamping: v) + dim : Int(clamping: Swift.min(v, Int64(Int.max / 2)))
        return Swift.min(Swift.max(r, low), high)
      }
      let b = s > 0 ? resolve(starts[i], low: 0, high: dim) : resolve(starts[i], low: -1, high: dim - 1)
      let e = s > 0 ? resolve(ends[i], low: 0, high: dim) : resolve(ends[i], low: -1, high: dim - 1)
      begin[axis] = b
      step[axis] = s
      shape[axis] = s > 0 ? Swift.max(0, (e - b + s - 1) / s) : Swift.max(0, (b - e - s - 1) / -s)
    }
    let inStrides = strides(of: x.shape)
    let count = shape.reduce(1, *)
    var indices = [Int](repeating: 0, count: count)
    var index = [Int](repeating: 0, count: x.rank)
    for linear in 0..<count {
      var source = 0
      for axis in 0..<x.rank { source += (begin[axis] + index[axis] * step[axis]) * inStrides[axis] }
      indices[linear] = source
      var axis = x.rank - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return [.tensor(Tensor(shape: shape, data: x.data.gathered(indices)))]
  }
}
