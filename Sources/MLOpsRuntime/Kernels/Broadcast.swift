/// Numpy-style multidirectional broadcasting, as ONNX's elementwise operators define it.
struct Broadcast {
  let shape: [Int]
  let count: Int
  /// For each operand, the operand index of every output element; nil when the operand
  /// already has the output's shape (the common, fast case).
  let maps: [[Int]?]

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
    self.maps = shapes.map { shape in
      shape == outShape ? nil : Broadcast.indexMap(from: shape, to: outShape, count: total)
    }
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
  func apply<A, B, R>(_ a: [A], _ b: [B], _ f: (A, B) -> R) -> [R] {
    switch (maps[0], maps[1]) {
    case (nil, nil):
      return (0..<count).map { f(a[$0], b[$0]) }
    case (nil, let mb?):
      if b.count == 1 { let s = b[0]; return a.map { f($0, s) } }
      return (0..<count).map { f(a[$0], b[mb[$0]]) }
    case (let ma?, nil):
      if a.count == 1 { let s = a[0]; return b.map { f(s, $0) } }
      return (0..<count).map { f(a[ma[$0]], b[$0]) }
    case (let ma?, let mb?):
      return (0..<count).map { f(a[ma[$0]], b[mb[$0]]) }
    }
  }

  /// The element of operand `operand` that feeds output element `linear`.
  @inline(__always)
  func source(_ operand: Int, _ linear: Int) -> Int { maps[operand]?[linear] ?? linear }
}
