import Foundation
import GRPCCore
import MLOpsProto
import MLOpsStatistics
import MLOpsTestSupport
import Testing

/// A simulated prediction stream through the public API: a drift injected at a known window is
/// flagged in that window, and over 1000 windows without drift the share of windows flagged
/// stays within the configured p-value threshold.
@Suite("Simulated streams")
struct SimulatedStreamTests {
  typealias H = MonitorHarness
  static let windowSize = 50

  /// One numerical column tested by KS at p < `threshold`, windows of 50, a 1000-row reference.
  func start(_ h: H, _ name: String, threshold: Double, generator: inout SeededRandom) async throws {
    _ = try await h.client.createMonitor(
      .with {
        $0.monitor = .with {
          $0.name = name
          $0.columns = [
            .with {
              $0.name = "x"
              $0.kind = .numerical
              $0.test = .ks
              $0.threshold = threshold
            }
          ]
          $0.window.size = Int64(Self.windowSize)
        }
      })
    let rows = (0..<1000).map { _ in Mlops_Common_V1_Row.with { $0.values["x"] = .with { $0.doubleValue = generator.normal() } } }
    _ = try await h.client.setReference(requestProducer: { writer in
      try await writer.write(.with { $0.header.monitor = name })
      try await writer.write(.with { $0.rows.rows = rows })
    })
  }

  func window(_ h: H, _ name: String, _ index: Int, shift: Double, generator: inout SeededRandom) async throws {
    let records: [Mlops_Monitor_V1_PredictionRecord] = (0..<Self.windowSize).map { i in
      .with {
        $0.requestID = "\(index)-\(i)"
        $0.features["x"] = .with { $0.doubleValue = generator.normal() + shift }
      }
    }
    _ = try await h.client.logPredictions(
      .with {
        $0.monitor = name
        $0.records = records
      })
  }

  func allReports(_ h: H, _ name: String, count: Int) async throws -> [Mlops_Monitor_V1_DriftReport] {
    var reports: [Mlops_Monitor_V1_DriftReport] = []
    for _ in 0..<600 {
      reports = []
      var token = ""
      repeat {
        let page = try await h.client.listDriftReports(
          .with {
            $0.monitor = name
            $0.page = .with {
              $0.pageSize = 1000
              $0.pageToken = token
            }
          })
        reports += page.reports
        token = page.nextPageToken
      } while !token.isEmpty
      if reports.count >= count { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    return reports
  }

  @Test("a shift injected at window 30 is flagged in window 30 and raises the alert")
  func injected() async throws {
    try await H.with(.sqlite) { h in
      var generator = SeededRandom(seed: 7)
      try await start(h, "inject", threshold: 0.01, generator: &generator)
      for index in 1...40 { try await window(h, "inject", index, shift: index >= 30 ? 1.0 : 0, generator: &generator) }
      let reports = try await allReports(h, "inject", count: 40)
      let flagged = reports.filter(\.datasetDrift).map { Int($0.windowID.split(separator: ":").last!)! }.sorted()
      #expect(Array(30...40).allSatisfy(flagged.contains), "flagged \(flagged)")
      let alerts = try await h.client.listAlerts(.with { $0.monitor = "inject" }).alerts
      // One open alert (later windows are de-duplicated into it); it names window 30 unless a
      // false alarm before the shift opened it first.
      let first = flagged.first!
      #expect(alerts.count == 1 && alerts[0].kind == .drift && alerts[0].message.contains("inject:\(first)"))
    }
  }

  @Test("over 1000 windows without drift the false-alarm rate stays within the 1% threshold")
  func falseAlarms() async throws {
    try await H.with(.sqlite) { h in
      var generator = SeededRandom(seed: 11)
      try await start(h, "quiet", threshold: 0.01, generator: &generator)
      for index in 1...1000 { try await window(h, "quiet", index, shift: 0, generator: &generator) }
      let reports = try await allReports(h, "quiet", count: 1000)
      #expect(reports.count == 1000)
      let rate = Double(reports.count(where: \.datasetDrift)) / Double(reports.count)
      // The exact KS test is conservative: its false-alarm rate is at most the threshold; three
      // binomial standard deviations (0.3%) allow for the sample.
      #expect(rate <= 0.01 + 3 * (0.01 * 0.99 / 1000).squareRoot(), "false-alarm rate \(rate)")
    }
  }
}
