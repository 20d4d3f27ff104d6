/// Class labels of a classifier: integers or strings, chosen by which attribute the exporter set.
enum ClassLabels: Sendable {
  case int64([Int64])
  case string([String])

  init(context: NodeContext, ints: String, strings: String) throws {
    if let s = try context.strings(strings), !s.isEmpty {
      self = .string(s)
    } else if let i = try context.ints(ints), !i.isEmpty {
      self = .int64(i)
    } else {
      throw context.invalid(ints, "or '\(strings)' must list the class labels")
    }
  }

  var count: Int {
    switch self {
    case .int64(let v): v.count
    case .string(let v): v.count
    }
  }

  /// The label tensor for a list of class indices.
  func tensor(_ picks: [Int], shape: [Int]) -> Tensor {
    switch self {
    case .int64(let v): Tensor(shape: shape, int64s: picks.map { v[$0] })
    case .string(let v): Tensor(shape: shape, strings: picks.map { v[$0] })
    }
  }
}

/// Scores = X·Wᵀ + b, shared by LinearClassifier and LinearRegressor.
struct LinearScores: Sendable {
  let coefficients: [Float]
  let intercepts: [Float]
  let targets: Int

  func scores(_ x: Tensor) throws -> (rows: Int, scores: [Float]) {
    let values = try x.floatValues("X")
    let (rows, features) = try x.matrixDimensions("X")
    guard features * targets == coefficients.count else {
      throw ModelError.input("X has \(features) features; the model's coefficients expect \(coefficients.count / max(targets, 1))")
    }
    var out = [Float](repeating: 0, count: rows * targets)
    for r in 0..<rows {
      for t in 0..<targets {
        var sum: Float = 0
        for f in 0..<features { sum += values[r * features + f] * coefficients[t * features + f] }
        out[r * targets + t] = sum + (intercepts.isEmpty ? 0 : intercepts[t])
      }
    }
    return (rows, out)
  }
}

/// ai.onnx.ml LinearClassifier: label and per-class scores; a binary model with one
/// coefficient row gets the second class added, as onnxruntime does.
struct LinearClassifierKernel: Kernel {
  let linear: LinearScores
  let labels: ClassLabels
  let transform: PostTransform

  func run(_ inputs: [Value?]) throws -> [Value] {
    let (rows, raw) = try linear.scores(try inputs.tensor(0))
    let classes = linear.targets
    var picks = [Int](repeating: 0, count: rows)
    if classes == 1 {
      for r in 0..<rows { picks[r] = raw[r] > 0 ? 1 : 0 }
      if labels.count != 2 { return try binaryWithoutLabels(raw, picks) }
      var scores = [Float](repeating: 0, count: rows * 2)
      for r in 0..<rows {
        var s = [raw[r]]
        transform.apply(&s, range: 0..<1)
        scores[2 * r] = 1 - s[0]
        scores[2 * r + 1] = s[0]
      }
      return [.tensor(labels.tensor(picks, shape: [rows])), .tensor(Tensor(shape: [rows, 2], floats: scores))]
    }
    var scores = raw
    for r in 0..<rows {
      let range = r * classes..<(r + 1) * classes
      picks[r] = range.reduce(range.lowerBound) { raw[$1] > raw[$0] ? $1 : $0 } - range.lowerBound
      transform.apply(&scores, range: range)
    }
    return [.tensor(labels.tensor(picks, shape: [rows])), .tensor(Tensor(shape: [rows, classes], floats: scores))]
  }

  /// One score column and no pair of labels: labels are 1/0, scores are the transformed score.
  private func binaryWithoutLabels(_ raw: [Float], _ picks: [Int]) throws -> [Value] {
    var scores = raw
    transform.apply(&scores, range: 0..<scores.count)
    let label: Tensor =
      switch labels {
      case .int64: Tensor(shape: [picks.count], int64s: picks.map(Int64.init))
      case .string: Tensor(shape: [picks.count], strings: picks.map(String.init))
      }
    return [.tensor(label), .tensor(Tensor(shape: [raw.count, 1], floats: scores))]
  }
}

/// ai.onnx.ml LinearRegressor: [N, targets] float.
struct LinearRegressorKernel: Kernel {
  let linear: LinearScores
  let transform: PostTransform

  func run(_ inputs: [Value?]) throws -> [Value] {
    var (rows, scores) = try linear.scores(try inputs.tensor(0))
    for r in 0..<rows { transform.apply(&scores, range: r * linear.targets..<(r + 1) * linear.targets) }
    return [.tensor(Tensor(shape: [rows, linear.targets], floats: scores))]
  }
}
