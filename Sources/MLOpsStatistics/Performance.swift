import Foundation

/// Model quality from predictions and ground truth, as scikit-learn computes it: the
/// monitor's concept-drift signal once labels arrive.
public enum Performance {
  /// Accuracy, and precision/recall/F1 — binary for the positive class when the labels are
  /// {0, 1} or {false, true} (sklearn's default `pos_label=1`), macro-averaged otherwise.
  public static func classification(predicted: [String], actual: [String]) -> [String: Double] {
    guard !actual.isEmpty else { return [:] }
    let correct = zip(predicted, actual).count { $0 == $1 }
    var result = ["accuracy": Double(correct) / Double(actual.count)]
    let classes = Set(actual).union(predicted)
    let positive = classes.isSubset(of: ["0", "1"]) ? "1" : classes.isSubset(of: ["false", "true"]) ? "true" : nil
    let scored = positive.map { [$0] } ?? classes.sorted()
    var (precision, recall, f1) = (0.0, 0.0, 0.0)
    for label in scored {
      let tp = Double(zip(predicted, actual).count { $0 == label && $1 == label })
      let fp = Double(zip(predicted, actual).count { $0 == label && $1 != label })
      let fn = Double(zip(predicted, actual).count { $0 != label && $1 == label })
      let p = tp + fp > 0 ? tp / (tp + fp) : 0
      let r = tp + fn > 0 ? tp / (tp + fn) : 0
      precision += p
      recall += r
      f1 += p + r > 0 ? 2 * p * r / (p + r) : 0
    }
    let n = Double(scored.count)
    result["precision"] = precision / n
    result["recall"] = recall / n
    result["f1"] = f1 / n
    return result
  }

  /// ROC AUC of scores against binary truth (`sklearn.metrics.roc_auc_score`): the
  /// Mann–Whitney probability that a positive outranks a negative, ties counting half. nil
  /// when only one class is present.
  public static func rocAUC(scores: [Double], positive: [Bool]) -> Double? {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var ranks = [Double](repeating: 0, count: scores.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
      let rank = Double(i + j) / 2 + 1
      for k in i...j { ranks[order[k]] = rank }
      i = j + 1
    }
    let positives = Double(positive.count { $0 })
    let negatives = Double(positive.count) - positives
    guard positives > 0, negatives > 0 else { return nil }
    let rankSum = zip(ranks, positive).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  /// RMSE and MAE.
  public static func regression(predicted: [Double], actual: [Double]) -> [String: Double] {
    guard !actual.isEmpty else { return [:] }
    let errors = zip(predicted, actual).map { $0 - $1 }
    let n = Double(errors.count)
    return [
      "rmse": (errors.reduce(0) { $0 + $1 * $1 } / n).squareRoot(),
      "mae": errors.reduce(0) { $0 + abs($1) } / n,
    ]
  }
}
