import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Monitor definitions")
struct DefinitionTests {
  typealias H = MonitorHarness

  @Test("a monitor is created, read, listed by deployment and updated", arguments: TestBackend.available)
  func lifecycle(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let created = try await h.client.createMonitor(.with { $0.monitor = H.definition("m1") }).monitor
      #expect(created.driftShareThreshold == 0.5 && !created.hasReference_p && created.createdTime.seconds > 0)
      _ = try await h.client.createMonitor(
        .with {
          $0.monitor = .with {
            $0.name = "m2"
            $0.deployment = "other"
            $0.columns = [.with { $0.name = "a" }]
            $0.window.size = 5
          }
        })
      #expect(try await h.client.getMonitor(.with { $0.name = "m1" }).monitor.columns.map(\.name) == ["x", "color", "score"])
      let fraud = try await h.client.listMonitors(.with { $0.deployment = "fraud" }).monitors
      #expect(fraud.map(\.name) == ["m1"])
      let first = try await h.client.listMonitors(.with { $0.page.pageSize = 1 })
      let second = try await h.client.listMonitors(
        .with {
          $0.page.pageSize = 1
          $0.page.pageToken = first.nextPageToken
        })
      #expect(first.monitors.map(\.name) == ["m1"] && second.monitors.map(\.name) == ["m2"] && second.nextPageToken.isEmpty)
      var changed = H.definition("m1", windowSize: 50)
      changed.driftShareThreshold = 0.3
      let updated = try await h.client.updateMonitor(.with { $0.monitor = changed }).monitor
      #expect(updated.window.size == 50 && updated.driftShareThreshold == 0.3 && updated.createdTime == created.createdTime)
    }
  }

  @Test("bad definitions are refused naming the field, and nothing is stored", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      func create(_ change: (inout Mlops_Monitor_V1_Monitor) -> Void) async throws {
        var monitor = H.definition("bad")
        change(&monitor)
        _ = try await h.client.createMonitor(.with { $0.monitor = monitor })
      }
      await expectStatus(.invalidArgument, naming: "monitor.name") { try await create { $0.name = "" } }
      await expectStatus(.invalidArgument, naming: "monitor.name") { try await create { $0.name = "a b" } }
      await expectStatus(.invalidArgument, naming: "monitor.columns") { try await create { $0.columns = [] } }
      await expectStatus(.invalidArgument, naming: "monitor.columns[1].name") { try await create { $0.columns[1].name = "x" } }
      await expectStatus(.invalidArgument, naming: "monitor.columns[1].test") { try await create { $0.columns[1].test = .ks } }
      await expectStatus(.invalidArgument, naming: "monitor.columns[0].test") { try await create { $0.columns[0].test = .chiSquared } }
      await expectStatus(.invalidArgument, naming: "monitor.columns[0].threshold") {
        try await create {
          $0.columns[0].test = .ks
          $0.columns[0].threshold = 2
        }
      }
      await expectStatus(.invalidArgument, naming: "monitor.window") { try await create { $0.window = .init() } }
      await expectStatus(.invalidArgument, naming: "monitor.drift_share_threshold") { try await create { $0.driftShareThreshold = 1.5 } }
      await expectStatus(.invalidArgument, naming: "monitor.charts[0].metric") {
        try await create { $0.charts = [.with { $0.metric = "nope" }] }
      }
      await expectStatus(.invalidArgument, naming: "monitor.charts[0].ewma_lambda") {
        try await create {
          $0.charts = [
            .with {
              $0.metric = "drift.x"
              $0.ewmaLambda = 3
            }
          ]
        }
      }
      // Infinite chart constants were stored and then failed every evaluation as INTERNAL.
      await expectStatus(.invalidArgument, naming: "monitor.charts[0].cusum_h") {
        try await create {
          $0.charts = [
            .with {
              $0.metric = "drift.x"
              $0.cusumH = .infinity
            }
          ]
        }
      }
      await expectStatus(.invalidArgument, naming: "monitor.charts[0].cusum_k") {
        try await create {
          $0.charts = [
            .with {
              $0.metric = "drift.x"
              $0.cusumK = .infinity
            }
          ]
        }
      }
      await expectStatus(.invalidArgument, naming: "monitor.charts[0].ewma_l") {
        try await create {
          $0.charts = [
            .with {
              $0.metric = "drift.x"
              $0.ewmaL = .infinity
            }
          ]
        }
      }
      await expectStatus(.invalidArgument, naming: "monitor.actions[0].webhook.url") {
        try await create { $0.actions = [.with { $0.webhook.url = "ftp://x" }] }
      }
      await expectStatus(.invalidArgument, naming: "monitor.actions[0].retrain.schedule") {
        try await create {
          $0.actions = [
            .with {
              $0.retrain = .with {
                $0.url = "http://x"
                $0.schedule = "61 * * * *"
              }
            }
          ]
        }
      }
      await expectStatus(.invalidArgument, naming: "monitor.actions[0]") { try await create { $0.actions = [.init()] } }
      await expectStatus(.invalidArgument, naming: "monitor.performance_thresholds[0].metric") {
        try await create { $0.performanceThresholds = [.with { $0.metric = "lift" }] }
      }
      #expect(try await h.client.listMonitors(.init()).monitors.isEmpty)
      _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m") })
      await expectStatus(.alreadyExists, naming: "'m'") { _ = try await h.client.createMonitor(.with { $0.monitor = H.definition("m") }) }
      await expectStatus(.notFound, naming: "'zz'") { _ = try await h.client.getMonitor(.with { $0.name = "zz" }) }
      await expectStatus(.notFound, naming: "'zz'") { _ = try await h.client.updateMonitor(.with { $0.monitor = H.definition("zz") }) }
      await expectStatus(.invalidArgument, naming: "page.page_token") {
        _ = try await h.client.listDriftReports(
          .with {
            $0.monitor = "m"
            $0.page.pageToken = "garbage"
          })
      }
    }
  }
}
