import GRPCCore
import MLOpsProto
import MLOpsStatistics
import MLOpsTestSupport
import Testing

@Suite("References and drift")
struct DriftTests {
  typealias H = MonitorHarness

  @Test(
    "ComputeDrift on rows finds the shifted column with scipy's statistic and keeps the unchanged one", arguments: TestBackend.available)
  func adHoc(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m") })
      await expectStatus(.failedPrecondition, naming: "no reference") {
        _ = try await h.client.computeDrift(
          .with {
            $0.monitor = "m"
            $0.rows.rows = [H.row(x: 1, color: "red")]
          })
      }
      let reference = try await h.setReference("m")
      #expect(reference.rowsProfiled == 1000 && !reference.profileID.isEmpty)
      #expect(try await h.client.getMonitor(.with { $0.name = "m" }).monitor.hasReference_p)
      let current = (0..<200).map { H.row(x: Double($0 * 5) + 300, color: $0 % 2 == 0 ? "red" : "blue") }
      let report = try await h.client.computeDrift(
        .with {
          $0.monitor = "m"
          $0.rows.rows = current
        }
      ).report
      let x = try #require(report.columns.first { $0.column == "x" })
      let expected = KolmogorovSmirnov.test((0..<1000).map(Double.init), (0..<200).map { Double($0 * 5) + 300 })
      #expect(x.test == .ks && x.statistic == expected.statistic && x.pValue == expected.pValue! && x.drifted)
      let color = try #require(report.columns.first { $0.column == "color" })
      #expect(color.test == .zProportion && !color.drifted && color.pValue == 1)
      #expect(report.rows == 200 && report.driftedShare == 0.5 && report.datasetDrift)
      #expect(try await h.client.getDriftReport(.with { $0.reportID = report.reportID }).report == report)
      let forced = try await h.client.computeDrift(
        .with {
          $0.monitor = "m"
          $0.rows.rows = current
          $0.tests = ["x": .psi]
        }
      ).report
      #expect(forced.columns.first { $0.column == "x" }?.test == .psi)
      #expect(!(forced.columns.first { $0.column == "x" }?.hasPValue ?? true))
      await expectStatus(.invalidArgument, naming: "tests[color]") {
        _ = try await h.client.computeDrift(
          .with {
            $0.monitor = "m"
            $0.rows.rows = current
            $0.tests = ["color": .ks]
          })
      }
      await expectStatus(.invalidArgument, naming: "tests[nope]") {
        _ = try await h.client.computeDrift(
          .with {
            $0.monitor = "m"
            $0.rows.rows = current
            $0.tests = ["nope": .ks]
          })
      }
      // Infinite values were "EncodingError" INTERNAL; values near Double's limit give infinite
      // statistics, which are now stored and answered.
      await expectStatus(.invalidArgument, naming: "rows.rows[1].features[x]") {
        _ = try await h.client.computeDrift(
          .with {
            $0.monitor = "m"
            $0.rows.rows = [H.row(x: 1, color: "red"), H.row(x: .infinity, color: "red")]
          })
      }
      let extreme = try await h.client.computeDrift(
        .with {
          $0.monitor = "m"
          $0.rows.rows = (0..<50).map { H.row(x: $0 % 2 == 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude, color: "red") }
        }
      ).report
      let stored = try await h.client.getDriftReport(.with { $0.reportID = extreme.reportID }).report
      #expect(stored.columns.count == extreme.columns.count)
      await expectStatus(.notFound, naming: "window_id") {
        _ = try await h.client.computeDrift(
          .with {
            $0.monitor = "m"
            $0.windowID = "m:9"
          })
      }
      await expectStatus(.notFound, naming: "report_id") { _ = try await h.client.getDriftReport(.with { $0.reportID = "nope" }) }
    }
  }

  @Test("a bad reference row is refused naming row and column, and the monitor keeps no reference", arguments: TestBackend.available)
  func badReference(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m") })
      var bad = (0..<5).map { H.row(x: Double($0), color: "red") }
      bad[3].values["x"] = .with { $0.stringValue = "oops" }
      let rows = bad
      await expectStatus(.invalidArgument, naming: "rows[3].values[x]") {
        _ = try await h.client.setReference(requestProducer: { writer in
          try await writer.write(.with { $0.header.monitor = "m" })
          try await writer.write(.with { $0.rows.rows = rows })
        })
      }
      await expectStatus(.invalidArgument, naming: "header") {
        _ = try await h.client.setReference(requestProducer: { writer in try await writer.write(.with { $0.rows.rows = rows }) })
      }
      await expectStatus(.notFound, naming: "'ghost'") {
        _ = try await h.client.setReference(requestProducer: { writer in try await writer.write(.with { $0.header.monitor = "ghost" }) })
      }
      await expectStatus(.notFound, naming: "profile_id") {
        _ = try await h.client.setReference(requestProducer: { writer in
          try await writer.write(
            .with {
              $0.header = .with {
                $0.monitor = "m"
                $0.profileID = "nope"
              }
            })
        })
      }
      #expect(try await !h.client.getMonitor(.with { $0.name = "m" }).monitor.hasReference_p)
      // A stored profile is reusable by id.
      let stored = try await h.setReference("m")
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m2") })
      let reused = try await h.client.setReference(requestProducer: { writer in
        try await writer.write(
          .with {
            $0.header = .with {
              $0.monitor = "m2"
              $0.profileID = stored.profileID
            }
          })
      })
      #expect(reused.profileID == stored.profileID && reused.rowsProfiled == 1000)
    }
  }
}
