import Foundation
import MLOpsStatistics

/// The per-window figures besides drift: model performance once labels arrive, and the
/// metrics control charts follow.
enum WindowMetrics {
  /// Performance by the monitor's task from the predictions that have labels.
  static func performance(monitor: MonitorDefinition, rows: WindowColumns) -> [String: Double] {
    guard monitor.predictionColumn != nil else { return [:] }
    let labeled = zip(rows.outputs, rows.truth).filter { $0.0 != .missing && $0.1 != .missing }
    guard !labeled.isEmpty else { return [:] }
    switch monitor.task {
    case .regression:
      let pairs = labeled.compactMap { o, t in o.number.flatMap { p in t.number.map { (p, $0) } } }
      return Performance.regression(predicted: pairs.map(\.0), actual: pairs.map(\.1))
    case .classification:
      return classification(outputs: labeled.map(\.0), labels: labeled.map(\.1))
    case .unspecified:
      return [:]
    }
  }

  /// A numeric output in [0, 1] against binary labels is a score: the class is score ≥ 0.5,
  /// and ROC AUC is computed; otherwise the output is the predicted class.
  static func classification(outputs: [FieldValue], labels: [FieldValue]) -> [String: Double] {
    let actual = labels.map { $0.category ?? "" }
    let scores = outputs.compactMap(\.number)
    let binary = Set(actual).isSubset(of: ["0", "1"])
    let isScore =
      binary && scores.count == outputs.count && scores.allSatisfy { $0 >= 0 && $0 <= 1 } && scores.contains { $0 != $0.rounded() }
    let predicted = isScore ? scores.map { $0 >= 0.5 ? "1" : "0" } : outputs.map { $0.category ?? "" }
    var result = Performance.classification(predicted: predicted, actual: actual)
    if isScore, let auc = Performance.rocAUC(scores: scores, positive: actual.map { $0 == "1" }) { result["roc_auc"] = auc }
    return result
  }

  /// The chart metrics performance gives: itself, and the error rate of a classifier.
  static func performanceMetrics(_ performance: [String: Double]) -> [String: Double] {
    var metrics = performance
    if let accuracy = performance["accuracy"] { metrics["error_rate"] = 1 - accuracy }
    return metrics
  }

  /// Every metric a chart may follow, for one window.
  static func chartMetrics(monitor: MonitorDefinition, rows: WindowColumns, drift: DriftComputation.Outcome?, performance: [String: Double])
    -> [String: Double]
  {
    var metrics = performanceMetrics(performance)
    metrics["rows"] = Double(rows.count)
    let outputs = rows.outputs.compactMap(\.number)
    if !outputs.isEmpty { metrics["mean_prediction"] = outputs.reduce(0, +) / Double(outputs.count) }
    let latencies = rows.latencies.sorted()
    if !latencies.isEmpty {
      metrics["latency_mean"] = latencies.reduce(0, +) / Double(latencies.count)
      metrics["latency_p99"] = Quantile.linear(sorted: latencies, at: [0.99])[0]
    }
    if let drift {
      metrics["drift_share"] = drift.driftedShare
      for column in drift.columns { metrics["drift.\(column.column)"] = column.statistic }
    }
    return metrics
  }
}
