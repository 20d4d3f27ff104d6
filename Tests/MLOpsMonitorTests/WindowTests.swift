import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Windows, labels and alerts")
struct WindowTests {
  typealias H = MonitorHarness

  @Test("windows close by count, are evaluated in the background and raise one drift alert", arguments: TestBackend.available)
  func countWindows(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m") })
      _ = try await h.setReference("m")
      #expect(try await h.log("m", count: 250, shift: 400, prefix: "a") == 250)
      let reports = try await h.reports("m") { $0.count == 2 }
      #expect(reports.map(\.windowID) == ["m:2", "m:1"])
      #expect(reports.allSatisfy { $0.rows == 100 && $0.datasetDrift })
      let alerts = try await h.client.listAlerts(.with { $0.monitor = "m" }).alerts
      #expect(alerts.count == 1 && alerts[0].kind == .drift && alerts[0].state == .open, "an open alert de-duplicates the second")
      let acknowledged = try await h.client.acknowledgeAlert(
        .with {
          $0.alertID = alerts[0].alertID
          $0.comment = "seen"
        }, metadata: ["x-mlops-actor": "ana"])
      #expect(acknowledged.alert.state == .acknowledged && acknowledged.alert.acknowledgedBy == "ana")
      await expectStatus(.failedPrecondition, naming: "already acknowledged") {
        _ = try await h.client.acknowledgeAlert(.with { $0.alertID = alerts[0].alertID })
      }
      await expectStatus(.notFound, naming: "'nope'") { _ = try await h.client.acknowledgeAlert(.with { $0.alertID = "nope" }) }
      #expect(try await h.client.listAlerts(.with { $0.states = [.open] }).alerts.isEmpty)
      let window = try await h.client.computeDrift(
        .with {
          $0.monitor = "m"
          $0.windowID = "m:1"
        }
      ).report
      #expect(window.rows == 100 && window.windowID == "m:1")
    }
  }

  @Test("labels join predictions by request id and give per-window performance", arguments: TestBackend.available)
  func labels(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 10) })
      _ = try await h.log("m", count: 9, shift: 0, prefix: "r", score: 0.8)
      let labels: [Mlops_Monitor_V1_LabelRecord] = (0..<9).map { i in
        .with {
          $0.requestID = "r-\(i)"
          $0.label.int64Value = i < 6 ? 1 : 0
        }
      }
      let answer = try await h.client.logLabels(
        .with {
          $0.monitor = "m"
          $0.labels =
            labels + [
              .with {
                $0.requestID = "ghost"
                $0.label.int64Value = 1
              }
            ]
        })
      #expect(answer.labelsMatched == 9 && answer.labelsUnmatched == 1)
      await expectStatus(.invalidArgument, naming: "labels[0].label") {
        _ = try await h.client.logLabels(
          .with {
            $0.monitor = "m"
            $0.labels = [.with { $0.requestID = "r-1" }]
          })
      }
      _ = try await h.log("m", count: 1, shift: 0, prefix: "s", score: 0.8)
      let reports = try await h.reports("m") { !$0.isEmpty }
      // 6 of the 9 labelled predictions are right (score 0.8 → class 1); the 10th has no label.
      #expect(reports.first?.performance["accuracy"] == 6.0 / 9.0)
      #expect(reports.first?.performance["recall"] == 1)
    }
  }

  @Test("labels arriving after their window closed update its performance and raise a performance alert", arguments: TestBackend.available)
  func lateLabels(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      var definition = H.definition("m", windowSize: 10)
      definition.performanceThresholds = [
        .with {
          $0.metric = "accuracy"
          $0.value = 0.8
        }
      ]
      _ = try await h.client.createMonitor(.with { $0.monitor = definition })
      _ = try await h.log("m", count: 10, shift: 0, prefix: "r", score: 0.8)
      let closed = try #require(try await h.reports("m") { !$0.isEmpty }.first)
      #expect(closed.performance.isEmpty, "no labels yet")
      let labels: [Mlops_Monitor_V1_LabelRecord] = (0..<10).map { i in
        .with {
          $0.requestID = "r-\(i)"
          $0.label.int64Value = i < 5 ? 1 : 0
        }
      }
      #expect(
        try await h.client.logLabels(
          .with {
            $0.monitor = "m"
            $0.labels = labels
          }
        ).labelsMatched == 10)
      var report = closed
      for _ in 0..<1200 where report.performance.isEmpty {
        try await Task.sleep(for: .milliseconds(25))
        report = try await h.client.getDriftReport(.with { $0.reportID = closed.reportID }).report
      }
      #expect(report.performance["accuracy"] == 0.5 && report.performance["precision"] == 0.5)
      var alerts: [Mlops_Monitor_V1_Alert] = []
      for _ in 0..<1200 where alerts.isEmpty {
        alerts = try await h.client.listAlerts(.with { $0.monitor = "m" }).alerts
        try await Task.sleep(for: .milliseconds(25))
      }
      #expect(alerts.map(\.dedupKey) == ["performance:accuracy"] && alerts[0].reportID == closed.reportID)
    }
  }

  @Test("bad prediction batches are refused whole, naming record and column", arguments: TestBackend.available)
  func badPredictions(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 2) })
      func send(_ change: (inout Mlops_Monitor_V1_PredictionRecord) -> Void) async throws {
        var bad = Mlops_Monitor_V1_PredictionRecord.with {
          $0.requestID = "b"
          $0.features["x"] = .with { $0.doubleValue = 1 }
        }
        change(&bad)
        _ = try await h.client.logPredictions(
          .with {
            $0.monitor = "m"
            $0.records = [
              .with {
                $0.requestID = "ok"
                $0.features["x"] = .with { $0.doubleValue = 1 }
              }, bad,
            ]
          })
      }
      await expectStatus(.invalidArgument, naming: "records[1].request_id") { try await send { $0.requestID = "" } }
      await expectStatus(.invalidArgument, naming: "records[1].time") { try await send { $0.time.seconds = Int64.max } }
      await expectStatus(.invalidArgument, naming: "records[1].features[x]") {
        try await send { $0.features["x"] = .with { $0.stringValue = "a" } }
      }
      await expectStatus(.invalidArgument, naming: "records[1].features[color]") {
        try await send { $0.features["color"] = .with { $0.int64List.values = [1] } }
      }
      await expectStatus(.notFound, naming: "'ghost'") {
        _ = try await h.client.logPredictions(
          .with {
            $0.monitor = "ghost"
            $0.records = [.with { $0.requestID = "a" }]
          })
      }
      await expectStatus(.invalidArgument, naming: "records[0].deployment") {
        _ = try await h.client.logPredictions(.with { $0.records = [.with { $0.requestID = "a" }] })
      }
      try await Task.sleep(for: .milliseconds(200))
      #expect(try await h.client.listDriftReports(.with { $0.monitor = "m" }).reports.isEmpty, "nothing was stored, no window closed")
      // Routed by deployment when no monitor is named.
      #expect(
        try await h.client.logPredictions(
          .with {
            $0.records = [
              .with {
                $0.requestID = "a"
                $0.deployment = "fraud"
              },
              .with {
                $0.requestID = "b"
                $0.deployment = "fraud"
              },
            ]
          }
        ).recordsAccepted == 2)
      #expect(try await h.reports("m") { $0.count == 1 }.count == 1)
    }
  }

  @Test("a timed window closes after its duration even when it is not full", arguments: TestBackend.available)
  func timedWindow(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      var definition = H.definition("m", windowSize: 0)
      definition.window.duration = .with { $0.nanos = 200_000_000 }
      _ = try await h.client.createMonitor(.with { $0.monitor = definition })
      _ = try await h.log("m", count: 7, shift: 0, prefix: "t")
      let reports = try await h.reports("m") { !$0.isEmpty }
      #expect(reports.count == 1 && reports[0].rows == 7)
    }
  }

  @Test("a control chart shows a shift in mean prediction as a WE1 violation and raises a chart alert", arguments: TestBackend.available)
  func controlChart(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      var definition = H.definition("m", windowSize: 5)
      definition.charts = [
        .with {
          $0.metric = "mean_prediction"
          $0.baselineWindows = 6
        }
      ]
      _ = try await h.client.createMonitor(.with { $0.monitor = definition })
      let scores = [0.50, 0.52, 0.49, 0.51, 0.50, 0.48, 0.51, 0.95]
      for (index, score) in scores.enumerated() {
        _ = try await h.log("m", count: 5, shift: 0, prefix: "w\(index)", score: score)
        _ = try await h.reports("m") { $0.count == index + 1 }
      }
      let chart = try await h.client.getControlChart(
        .with {
          $0.monitor = "m"
          $0.metric = "mean_prediction"
        })
      #expect(zip(chart.points.map(\.value), scores).allSatisfy { abs($0 - $1) < 1e-12 } && chart.points.count == scores.count)
      #expect(chart.violations.map(\.rule) == ["WE1"] && chart.violations[0].index == 7)
      #expect(chart.upperControlLimit > chart.centerLine && chart.centerLine > chart.lowerControlLimit)
      var alerts: [Mlops_Monitor_V1_Alert] = []
      for _ in 0..<600 where alerts.isEmpty {
        alerts = try await h.client.listAlerts(.with { $0.monitor = "m" }).alerts
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(alerts.map(\.dedupKey) == ["chart:mean_prediction:WE1"])
    }
  }
}

@Suite("Column-major ingestion")
struct ColumnIngestTests {
  typealias H = MonitorHarness

  @Test("predictions sent column by column are stored and evaluated like records", arguments: TestBackend.available)
  func columns(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 100) })
      _ = try await h.setReference("m")
      let n = 100
      let batch = Mlops_Monitor_V1_PredictionColumns.with {
        $0.requestIds = (0..<n).map { "c-\($0)" }
        $0.deployment = "fraud"
        $0.latencyMs = Array(repeating: 4, count: n)
        $0.values = [
          "x": .with { $0.numbers.values = (0..<n).map { Double($0 * 10) + 400 } },
          "color": .with { $0.texts.values = (0..<n).map { $0 % 2 == 0 ? "red" : "blue" } },
          "score": .with { $0.numbers.values = Array(repeating: 0.25, count: n) },
        ]
      }
      #expect(try await h.client.logPredictions(.with { $0.columns = batch }).recordsAccepted == 100)
      let report = try #require(try await h.reports("m") { !$0.isEmpty }.first)
      let x = try #require(report.columns.first { $0.column == "x" })
      #expect(report.rows == 100 && x.drifted && report.columns.first { $0.column == "color" }?.drifted == false)
      let labels = try await h.client.logLabels(
        .with {
          $0.monitor = "m"
          $0.labels = [
            .with {
              $0.requestID = "c-7"
              $0.label.int64Value = 1
            }
          ]
        })
      #expect(labels.labelsMatched == 1)
    }
  }

  @Test("a bad column batch is refused whole, naming the list", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m", windowSize: 2) })
      func send(_ change: (inout Mlops_Monitor_V1_PredictionColumns) -> Void) async throws {
        var batch = Mlops_Monitor_V1_PredictionColumns.with {
          $0.requestIds = ["a", "b"]
          $0.values = ["x": .with { $0.numbers.values = [1, 2] }]
        }
        change(&batch)
        _ = try await h.client.logPredictions(
          .with {
            $0.monitor = "m"
            $0.columns = batch
          })
      }
      await expectStatus(.invalidArgument, naming: "columns.values[x]") {
        try await send { $0.values["x"] = .with { $0.numbers.values = [1] } }
      }
      await expectStatus(.invalidArgument, naming: "columns.values[x]") {
        try await send { $0.values["x"] = .with { $0.texts.values = ["a", "b"] } }
      }
      await expectStatus(.invalidArgument, naming: "columns.time_unix_ms") { try await send { $0.timeUnixMs = [1] } }
      await expectStatus(.invalidArgument, naming: "columns.request_ids[1]") { try await send { $0.requestIds[1] = "" } }
      await expectStatus(.invalidArgument, naming: "columns.deployment") {
        _ = try await h.client.logPredictions(.with { $0.columns = .with { $0.requestIds = ["a"] } })
      }
      // Records and columns in one request are validated together: the good record is not kept.
      await expectStatus(.invalidArgument, naming: "columns.values[x]") {
        _ = try await h.client.logPredictions(
          .with {
            $0.monitor = "m"
            $0.records = [
              .with {
                $0.requestID = "kept?"
                $0.features["x"] = .with { $0.doubleValue = 1 }
              }
            ]
            $0.columns = .with {
              $0.requestIds = ["a"]
              $0.values["x"] = .with { $0.texts.values = ["no"] }
            }
          })
      }
      #expect(
        try await h.client.logLabels(
          .with {
            $0.monitor = "m"
            $0.labels = [
              .with {
                $0.requestID = "kept?"
                $0.label.int64Value = 1
              }
            ]
          }
        ).labelsMatched == 0)
      try await Task.sleep(for: .milliseconds(200))
      #expect(try await h.client.listDriftReports(.with { $0.monitor = "m" }).reports.isEmpty, "nothing stored, no window closed")
    }
  }
}
