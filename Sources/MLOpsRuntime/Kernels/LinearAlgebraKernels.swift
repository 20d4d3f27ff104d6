/// C[m×n] += A[m×k]·B[k×n] with optional transposes, in the i-k-j order that lets the
/// compiler vectorise the inner loop over contiguous rows of B. Raw pointers and wrapping index
/// arithmetic keep overflow checks out of that loop (they block vectorisation).
func matrixMultiply<T: BinaryFloatingPoint>(
  _ a: UnsafeBufferPointer<T>, _ b: UnsafeBufferPointer<T>, into c: UnsafeMutableBufferPointer<T>,
  m: Int, k: Int, n: Int, transA: Bool = false, transB: Bool = false, alpha: T = 1
) {
  guard m > 0, k > 0, n > 0, let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
  if transB {
    // B is [n×k]: dot products over contiguous rows of both operands.
    for i in 0..<m {
      for j in 0..<n {
        let bRow = pb + j &* k
        var sum: T = 0
        for p in 0..<k { sum += (transA ? pa[p &* m &+ i] : pa[i &* k &+ p]) * bRow[p] }
        pc[i &* n &+ j] += alpha * sum
      }
    }
    return
  }
  for i in 0..<m {
    let cRow = pc + i &* n
    for p in 0..<k {
      let scale = alpha * (transA ? pa[p &* m &+ i] : pa[i &* k &+ p])
      if scale == 0 { continue }
      let bRow = pb + p &* n
      for j in 0..<n { cRow[j] += scale * bRow[j] }
    }
  }
}

/// MatMul with numpy semantics: 1-D operands promoted and the added axis removed, leading
/// (batch) dimensions broadcast.
struct MatMulKernel: Kernel {
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let a = try inputs.tensor(0)
    let b = try inputs.tensor(1)
    switch (a.data, b.data) {
    case (.float(let x), .float(let y)): return [.tensor(try multiply(a.shape, x, b.shape, y, wrap: TensorData.float))]
    case (.double(let x), .double(let y)): return [.tensor(try multiply(a.shape, x, b.shape, y, wrap: TensorData.double))]
    default: throw ModelError.execution("operands must both be float or both double, got \(a.elementType) and \(b.elementType)")
    }
  }

  private func multiply<T: BinaryFloatingPoint>(
    _ aShape: [Int], _ x: [T], _ bShape: [Int], _ y: [T], wrap: ([T]) -> TensorData
  ) throws -> Tensor {
    guard !aShape.isEmpty, !bShape.isEmpty else { throw ModelError.execution("MatMul needs operands of rank ≥ 1") }
    let a2 = aShape.count == 1 ? [1, aShape[0]] : aShape
    let b2 = bShape.count == 1 ? [bShape[0], 1] : bShape
    let (m, k) = (a2[a2.count - 2], a2[a2.count - 1])
    let (k2, n) = (b2[b2.count - 2], b2[b2.count - 1])
    guard k == k2 else {
      throw ModelError.execution("cannot multiply shapes \(aShape) and \(bShape): inner dimensions \(k) and \(k2) differ")
    }
    let batch = try Broadcast([Array(a2.dropLast(2)), Array(b2.dropLast(2))], limits: limits)
    var shape = batch.shape + [m, n]
    let total = try checkedCount(shape, limits: limits)
    var out = [T](repeating: 0, count: total)
    x.withUnsafeBufferPointer { xa in
      y.withUnsafeBufferPointer { yb in
        out.withUnsafeMutableBufferPointer { o in
          for index in 0..<batch.count {
            let aOff = batch.source(0, index) * m * k
            let bOff = batch.source(1, index) * k * n
            matrixMultiply(
              UnsafeBufferPointer(rebasing: xa[aOff..<aOff + m * k]), UnsafeBufferPointer(rebasing: yb[bOff..<bOff + k * n]),
              into: UnsafeMutableBufferPointer(rebasing: o[index * m * n..<(index + 1) * m * n]), m: m, k: k, n: n)
          }
        }
      }
    }
    if aShape.count == 1 { shape.remove(at: shape.count - 2) }
    if bShape.count == 1 { shape.removeLast() }
    return Tensor(shape: shape, data: wrap(out))
  }
}

/// Gemm: Y = alpha·A'·B' + beta·C, C broadcast to [M, N].
struct GemmKernel: Kernel {
  let alpha: Float
  let beta: Float
  let transA: Bool
  let transB: Bool
  let limits: ModelLimits

  func run(_ inputs: [Value?]) throws -> [Value] {
    let a = try inputs.tensor(0)
    let b = try inputs.tensor(1)
    let c = try inputs.optionalTensor(2)
    switch (a.data, b.data) {
    case (.float(let x), .float(let y)):
      return [
        .tensor(
          try gemm(
            a.shape, x, b.shape, y, c, Float(alpha), Float(beta), extract: { if case .float(let v) = $0 { v } else { nil } },
            wrap: TensorData.float))
      ]
    case (.double(let x), .double(let y)):
      return [
        .tensor(
          try gemm(
            a.shape, x, b.shape, y, c, Double(alpha), Double(beta), extract: { if case .double(let v) = $0 { v } else { nil } },
            wrap: TensorData.double))
      ]
    default: throw ModelError.execution("operands must both be float or both double, got \(a.elementType) and \(b.elementType)")
    }
  }

  private func gemm<T: BinaryFloatingPoint>(
    _ aShape: [Int], _ x: [T], _ bShape: [Int], _ y: [T], _ c: Tensor?, _ alpha: T, _ beta: T,
    extract: (TensorData) -> [T]?, wrap: ([T]) -> TensorData
  ) throws -> Tensor {
    guard aShape.count == 2, bShape.count == 2 else { throw ModelError.execution("A and B must be 2-D, got \(aShape) and \(bShape)") }
    let (m, k) = transA ? (aShape[1], aShape[0]) : (aShape[0], aShape[1])
    let (k2, n) = transB ? (bShape[1], bShape[0]) : (bShape[0], bShape[1])
    guard k == k2 else { throw ModelError.execution("inner dimensions \(k) and \(k2) differ") }
    var out = [T](repeating: 0, count: try checkedCount([m, n], limits: limits))
    if let c, beta != 0 {
      guard let values = extract(c.data) else { throw ModelError.execution("C must have A's type") }
      let shape = try Broadcast([c.shape, [m, n]], limits: limits)
      guard shape.shape == [m, n] else { throw ModelError.execution("C of shape \(c.shape) does not broadcast to [\(m), \(n)]") }
      for i in 0..<out.count { out[i] = beta * values[shape.source(0, i)] }
    }
    x.withUnsafeBufferPointer { xa in
      y.withUnsafeBufferPointer { yb in
        out.withUnsafeMutableBufferPointer { o in
          matrixMultiply(xa, yb, into: o, m: m, k: k, n: n, transA: transA, transB: transB, alpha: alpha)
        }
      }
    }
    return Tensor(shape: [m, n], data: wrap(out))
  }
}
