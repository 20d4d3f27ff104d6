/// Numpy-style multidirectional broadcasting, as ONNX's elementwise operators define it.
struct Broadcast {
  /// How an operand's elements line up with the output's.
  enum Mapping: Sendable {
    /// Same shape: element i feeds output i.
    case same
    /// One element feeds every output.
    case scalar
    /// The operand is the output's trailing dimensions (a bias row): element i % count.
    case suffix(Int)
    /// Anything else: an explicit source index per output element.
    case general([Int])
  }

  let shape: [Int]
  let count: Int
  let mappings: [Mapping]

  init(_ shapes: [[Int]], limits: ModelLimits) throws {
    let rank = shapes.map(\.count).max() ?? 0
    var out = [Int](repeating: 1, count: rank)
    for shape in shapes {
      let padded = [Int](repeating: 1, count: rank - shape.count) + shape
      for axis in 0..<rank where padded[axis] != out[axis] {
        if out[axis] == 1 {
          out[axis] = padded[axis]
        } else if padded[axis] != 1 {
          throw ModelError.execution("shapes \(shapes.map { "\($0)" }.joined(separator: " and ")) cannot be broadcast together")
        }
      }
    }
    self.shape = out
    self.count = try checkedCount(out, limits: limits)
    let outShape = out
    let total = count
    self.mappings = shapes.map { shape in Broadcast.mapping(from: shape, to: outShape, count: total) }
  }

  private static func mapping(from shape: [Int], to out: [Int], count: Int) -> Mapping {
    if shape == out { return .same }
    let elements = shape.reduce(1, *)
    if elements == 1 { return .scalar }
    let padded = [Int](repeating: 1, count: out.count - shape.count) + shape
    if let firstReal = padded.firstIndex(where: { $0 != 1 }),
      padded[firstReal...].elementsEqual(out[firstReal...]), padded[..<firstReal].allSatisfy({ $0 == 1 })
    {
      return .suffix(elements)
    }
    return .general(indexMap(from: shape, to: out, count: count))
  }

  private static func indexMap(from shape: [Int], to out: [Int], count: Int) -> [Int] {
    let padded = [Int](repeating: 1, count: out.count - shape.count) + shape
    let inStrides = strides(of: padded)
    if padded.reduce(1, *) == 1 { return [Int](repeating: 0, count: count) }
    var map = [Int](repeating: 0, count: count)
    var index = [Int](repeating: 0, count: out.count)
    for linear in 0..<count {
      var source = 0
      for axis in 0..<out.count where padded[axis] != 1 { source += index[axis] * inStrides[axis] }
      map[linear] = source
      var axis = out.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < out[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return map
  }

  /// Applies `f` elementwise over two broadcast operands.
  @inline(__always)
  func apply<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
    switch (mappings[0], mappings[1]) {
    case (.same, .same): return (0..<count).map { f(a[$0], b[$0]) }
    case (.same, .scalar):
      let s = b[0]
      return a.map { f($0, s) }
    case (.scalar, .same):
      let s = a[0]
      return b.map { f(s, $0) }
    case (.same, .suffix(let n)): return (0..<count).map { f(a[$0], b[$0 % n]) }
    case (.suffix(let n), .same): return (0..<count).map { f(a[$0 % n], b[$0]) }
    default: return (0..<count).map { f(a[source(0, $0)], b[source(1, $0)]) }
    }
  }

  /// The element of operand `operand` that feeds output element `linear`.
  @inline(__always)
  func source(_ operand: Int, _ linear: Int) -> Int {
    switch mappings[operand] {
    case .same: linear
    case .scalar: 0
    case .suffix(let n): linear % n
    case .general(let map): map[linear]
    }
  }
}
