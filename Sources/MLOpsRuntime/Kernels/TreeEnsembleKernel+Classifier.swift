/// The classifier head, following onnxruntime's conventions so labels and probabilities match
/// it exactly, including its binary special cases (one score column expanded to two).
extension TreeEnsembleCore {
  func finishMulticlass(_ sums: inout [T], _ seen: inout [Bool]) -> (Int, [Float]) {
    for k in base.indices where k < sums.count {
      sums[k] = seen[k] ? sums[k] + base[k] : base[k]
      seen[k] = true
    }
    var best = -1
    for k in sums.indices where seen[k] && (best == -1 || sums[k] > sums[best]) { best = k }
    var scores = sums.map { Float($0) }
    transform.apply(&scores, range: 0..<scores.count)
    return (max(best, 0), scores)
  }

  func finishBinary(_ sums: inout [T], _ seen: inout [Bool], binaryCase: Bool, allPositive: Bool) -> (Int, [Float]) {
    var single = false
    var mode = -1
    if base.count == 2 {
      if seen[1] {
        sums[1] = base[1] + sums[0]
        sums[0] = -sums[1]
      } else {
        sums[1] += base[1]
        sums[0] += base[0]
      }
    } else if base.count == 1 {
      sums[0] += base[0]
      single = !seen[1]
    } else {
      mode = 3
      single = !seen[1]
    }
    let both = !single && seen[1]
    let positive: T = both ? sums[1] : (seen[0] ? sums[0] : 0)
    let label: Int
    if binaryCase {
      if allPositive {
        (label, mode) = positive > 0.5 ? (1, 0) : (0, 1)
      } else {
        (label, mode) = positive > 0 ? (1, 2) : (0, 3)
      }
    } else if both {
      label = sums[1] > sums[0] ? 1 : 0
    } else {
      label = positive > 0 ? 1 : 0
    }
    if !single {
      var scores = [Float(sums[0]), Float(sums[1])]
      transform.apply(&scores, range: 0..<2)
      return (label, scores)
    }
    return (label, expandSingle(Float(sums[0]), mode: mode))
  }

  /// One score becomes two columns: [1 − p, p] when the weights are probabilities, or the
  /// mirrored margin (through the logistic when one is requested).
  private func expandSingle(_ score: Float, mode: Int) -> [Float] {
    switch mode {
    case 2, 3:
      if transform == .logistic { return [logisticScore(-score), logisticScore(score)] }
      return mode == 2 ? [-score, score] : [score, -score]
    default:
      if transform == .probit { return [probitScore(score), 0] }
      return [1 - score, score]
    }
  }
}
