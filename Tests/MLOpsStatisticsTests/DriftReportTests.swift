import MLOpsStatistics
import Testing

/// Test choice by type and size (Evidently's defaults), thresholds, refusals and dataset drift.
@Suite("Drift report")
struct DriftReportTests {
  typealias F = ScipyAgreementTests

  static func numeric(_ name: String) -> F.Numeric { F.fixtures.numeric.first { $0.name == name }! }

  @Test("numeric columns get KS up to 1,000 rows and normalised Wasserstein above, with scipy's numbers")
  func numericDefaults() throws {
    let small = Self.numeric("normal-1000-shift")
    let large = Self.numeric("lognormal-skew")
    let report = try DriftReport(
      reference: [("small", .numeric(small.reference)), ("large", .numeric(large.reference))],
      current: ["small": .numeric(small.current), "large": .numeric(large.current)])
    #expect(report.columns.map(\.test) == [.ks, .wasserstein])
    #expect(F.close(report.columns[0].pValue!, small.ks_p_value) && report.columns[0].drifted)
    #expect(F.close(report.columns[1].statistic, large.wasserstein_normed) && report.columns[1].pValue == nil)
    #expect(report.columns[1].drifted == (large.wasserstein_normed >= 0.1))
  }

  @Test("categorical columns get a z-test (two values) or chi-squared, and a forced test applies to all")
  func categorical() throws {
    let reference: [(name: String, column: DriftReport.Column)] = [
      ("flag", .categorical(Array(repeating: "y", count: 30) + Array(repeating: "n", count: 70))),
      ("city", .categorical(Array(repeating: "a", count: 50) + Array(repeating: "b", count: 50))),
    ]
    let current: [String: DriftReport.Column] = [
      "flag": .categorical(Array(repeating: "y", count: 60) + Array(repeating: "n", count: 40)),
      "city": .categorical(Array(repeating: "a", count: 48) + Array(repeating: "b", count: 50) + ["c", "c"]),
    ]
    let report = try DriftReport(reference: reference, current: current)
    #expect(report.columns.map(\.test) == [.ztest, .chisquare])
    #expect(report.columns.map(\.drifted) == [true, false])
    #expect(report.datasetDrift)  // 1 of 2 columns reaches the default share of 0.5
    let psi = try DriftReport(reference: reference, current: current, test: .psi, threshold: 0.2)
    #expect(psi.columns.allSatisfy { $0.test == .psi && $0.threshold == 0.2 })
  }

  @Test("the dataset drifts when the share of drifted columns reaches drift_share")
  func share() throws {
    let same = Self.numeric("normal-200-same")
    let moved = Self.numeric("far-apart-300")
    let reference: [(name: String, column: DriftReport.Column)] = [("a", .numeric(same.reference)), ("b", .numeric(moved.reference))]
    let current: [String: DriftReport.Column] = ["a": .numeric(same.current), "b": .numeric(moved.current)]
    #expect(try DriftReport(reference: reference, current: current, driftShare: 0.5).datasetDrift)
    #expect(try !DriftReport(reference: reference, current: current, driftShare: 0.75).datasetDrift)
  }

  @Test("a test that does not fit a column, or a missing column, is refused naming the column")
  func refusals() {
    #expect(throws: DriftReport.Refusal(column: "city", reason: "wasserstein needs a numeric column")) {
      try DriftReport(reference: [("city", .categorical(["a", "b"]))], current: ["city": .categorical(["a"])], test: .wasserstein)
    }
    #expect(throws: DriftReport.Refusal(column: "x", reason: "missing from the current data")) {
      try DriftReport(reference: [("x", .numeric([1, 2]))], current: [:])
    }
  }
}
