import Foundation
import MLOpsStatistics
import Testing

/// Classification and regression metrics against scikit-learn on the same seeded data
/// (`scripts/monitor/make-stat-fixtures.py`).
@Suite("Performance agrees with scikit-learn")
struct PerformanceTests {
  struct Case: Decodable, CustomTestStringConvertible {
    var kind: String
    var truth: [String]?
    var predicted: [String]?
    var scores: [Double]?
    var accuracy, precision, recall, f1, roc_auc: Double?
    var actual, guess: [Double]?
    var rmse, mae: Double?
    var testDescription: String { "\(kind) \(truth?.count ?? actual?.count ?? 0)" }
  }

  struct Fixtures: Decodable { var performance: [Case] }

  static let cases: [Case] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statistics.json")
    return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url)).performance
  }()

  static func close(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-12 * max(1, abs(b))
  }

  @Test("accuracy, precision, recall, F1, ROC AUC, RMSE and MAE match", arguments: cases)
  func agrees(_ c: Case) {
    if c.kind == "regression" {
      let result = Performance.regression(predicted: c.guess!, actual: c.actual!)
      #expect(Self.close(result["rmse"], c.rmse) && Self.close(result["mae"], c.mae))
      return
    }
    let result = Performance.classification(predicted: c.predicted!, actual: c.truth!)
    for (name, expected) in [("accuracy", c.accuracy), ("precision", c.precision), ("recall", c.recall), ("f1", c.f1)] {
      #expect(Self.close(result[name], expected), "\(name)")
    }
    if let scores = c.scores, !scores.isEmpty {
      #expect(Self.close(Performance.rocAUC(scores: scores, positive: c.truth!.map { $0 == "1" }), c.roc_auc))
    }
  }

  @Test("ROC AUC is undefined with one class")
  func oneClass() {
    #expect(Performance.rocAUC(scores: [0.1, 0.9], positive: [true, true]) == nil)
  }
}
