import Foundation

/// The score transforms of the ai.onnx.ml classifiers and regressors, computed in float as
/// onnxruntime does so probabilities agree to the last few ulps.
enum PostTransform: Sendable {
  case none, logistic, softmax, softmaxZero, probit

  init(name: String?, context: NodeContext) throws {
    switch name ?? "NONE" {
    case "NONE": self = .none
    case "LOGISTIC": self = .logistic
    case "SOFTMAX": self = .softmax
    case "SOFTMAX_ZERO": self = .softmaxZero
    case "PROBIT": self = .probit
    default: throw context.invalid("post_transform", "has unknown value '\(name ?? "")'")
    }
  }

  /// TreeEnsemble (ai.onnx.ml opset 5) numbers its transforms.
  init(code: Int, context: NodeContext) throws {
    let all: [PostTransform] = [.none, .softmax, .logistic, .softmaxZero, .probit]
    guard all.indices.contains(code) else { throw context.invalid("post_transform", "has unknown value \(code)") }
    self = all[code]
  }

  /// Transforms one row of scores in place.
  func apply(_ scores: inout [Float], range: Range<Int>) {
    switch self {
    case .none: break
    case .logistic: for i in range { scores[i] = logisticScore(scores[i]) }
    case .probit: for i in range { scores[i] = probitScore(scores[i]) }
    case .softmax:
      var high = -Float.greatestFiniteMagnitude
      for i in range { high = max(high, scores[i]) }
      var sum: Float = 0
      for i in range {
        scores[i] = Foundation.exp(scores[i] - high)
        sum += scores[i]
      }
      for i in range { scores[i] /= sum }
    case .softmaxZero:
      var high = -Float.greatestFiniteMagnitude
      for i in range { high = max(high, scores[i]) }
      var sum: Float = 0
      for i in range where abs(scores[i]) > 1e-7 {
        scores[i] = Foundation.exp(scores[i] - high)
        sum += scores[i]
      }
      for i in range where abs(scores[i]) <= 1e-7 { scores[i] = 0 }
      for i in range { scores[i] /= sum }
    }
  }
}

/// 1 / (1 + e^-x), evaluated on |x| so large magnitudes do not overflow.
@inline(__always)
func logisticScore(_ x: Float) -> Float {
  let v = 1 / (1 + Foundation.exp(-abs(x)))
  return x < 0 ? 1 - v : v
}

/// √2 · erfinv(2x − 1), with the same closed-form erfinv approximation onnxruntime uses.
func probitScore(_ x: Float) -> Float {
  var value = 2 * x - 1
  let sign: Float = value < 0 ? -1 : 1
  value = (1 - value) * (1 + value)
  let ln = Foundation.log(value)
  let v = 2 / (3.14159 * 0.147) + 0.5 * ln
  let v2 = 1 / 0.147 * ln
  let v3 = -v + (v * v - v2).squareRoot()
  return 1.41421356 * sign * v3.squareRoot()
}
