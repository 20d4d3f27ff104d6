import GRPCCore
import MLOpsMonitor
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Closed windows are kept decoded in memory after their evaluation; what a client reads must
/// not depend on whether a window came from there or from storage.
@Suite("Windows kept in memory")
struct WindowCacheTests {
  typealias H = MonitorHarness

  /// KS and PSI forced on x, defaults elsewhere: the report ComputeDrift gives for window m:1.
  static func drift(_ h: H, window: String = "m:1") async throws -> Mlops_Monitor_V1_DriftReport {
    try await h.client.computeDrift(
      .with {
        $0.monitor = "m"
        $0.windowID = window
        $0.tests = ["x": .ks]
      }
    ).report
  }

  static func psi(_ h: H) async throws -> Mlops_Monitor_V1_DriftReport {
    try await h.client.computeDrift(
      .with {
        $0.monitor = "m"
        $0.windowID = "m:1"
        $0.tests = ["x": .psi]
      }
    ).report
  }

  @Test("a report on a window kept in memory equals the one read from storage", arguments: TestBackend.available)
  func sameFigures(backend: TestBackend) async throws {
    var figures: [[String]] = []
    for budget in [MonitorEngine.defaultWindowCacheBytes, 0] {
      try await H.with(backend, windowCacheBytes: budget) { h in
        _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 200) })
        _ = try await h.setReference("m")
        _ = try await h.log("m", count: 200, shift: 300.5, prefix: "a")
        _ = try await h.reports("m") { !$0.isEmpty }
        var lines: [String] = []
        for report in [try await Self.drift(h), try await Self.psi(h), try await Self.drift(h)] {
          lines += report.columns.sorted { $0.column < $1.column }.map {
            "\($0.column) \($0.test) \($0.statistic) \($0.pValue) \($0.drifted)"
          }
        }
        figures.append(lines)
      }
    }
    #expect(figures.count == 2 && figures[0] == figures[1])
    #expect(figures.first?.contains { $0.hasPrefix("x ks") && $0.hasSuffix("true") } == true, "x is shifted: \(figures)")
  }

  @Test("labels arriving for a window already evaluated show in the next ComputeDrift on it", arguments: TestBackend.available)
  func labelsReachCachedWindow(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 10) })
      _ = try await h.setReference("m")
      _ = try await h.log("m", count: 10, shift: 0, prefix: "r", score: 0.8)
      _ = try await h.reports("m") { !$0.isEmpty }
      #expect(try await Self.drift(h).performance.isEmpty, "no labels yet")
      let labels: [Mlops_Monitor_V1_LabelRecord] = (0..<10).map { i in
        .with {
          $0.requestID = "r-\(i)"
          $0.label.int64Value = i < 4 ? 1 : 0
        }
      }
      #expect(
        try await h.client.logLabels(
          .with {
            $0.monitor = "m"
            $0.labels = labels
          }
        ).labelsMatched == 10)
      #expect(try await Self.drift(h).performance["accuracy"] == 0.4)
    }
  }

  @Test("/metrics shows the windows held and their memory, and a new definition empties them", arguments: TestBackend.available)
  func gauges(backend: TestBackend) async throws {
    try await H.with(backend, windowCacheBytes: 64 << 20) { h in
      #expect(try await h.metric("mlops_monitor_window_cache_budget_bytes") == Double(64 << 20))
      #expect(try await h.metric("mlops_monitor_window_cache_windows") == 0)
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 10) })
      _ = try await h.setReference("m")
      _ = try await h.log("m", count: 20, shift: 0, prefix: "r")
      _ = try await h.reports("m") { $0.count == 2 }
      #expect(try await h.metric("mlops_monitor_window_cache_windows") == 2)
      #expect(try await h.metric("mlops_monitor_window_cache_bytes").map { $0 > 0 } == true)
      _ = try await h.client.updateMonitor(.with { $0.monitor = H.definition("m", windowSize: 10) })
      #expect(try await h.metric("mlops_monitor_window_cache_windows") == 0)
      #expect(try await h.metric("mlops_monitor_window_cache_bytes") == 0)
    }
  }

  @Test("a window evaluated under an older definition is reported with the current one", arguments: TestBackend.available)
  func definitionChange(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 10) })
      _ = try await h.setReference("m")
      _ = try await h.log("m", count: 10, shift: 0, prefix: "r")
      _ = try await h.reports("m") { !$0.isEmpty }
      #expect(Set(try await Self.drift(h).columns.map(\.column)) == ["x", "color"])
      var narrower = H.definition("m", windowSize: 10)
      narrower.columns.removeAll { $0.name == "color" }
      _ = try await h.client.updateMonitor(.with { $0.monitor = narrower })
      #expect(Set(try await Self.drift(h).columns.map(\.column)) == ["x"])
    }
  }
}
