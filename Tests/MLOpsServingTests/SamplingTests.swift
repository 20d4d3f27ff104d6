import Foundation
import GRPCCore
import Logging
import MLOpsCore
import MLOpsMonitor
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Predictions sampled to the monitor")
struct SamplingTests {
  static func monitorDefinition() -> Mlops_Monitor_V1_Monitor {
    .with {
      $0.name = "watch"
      $0.deployment = "d"
      $0.columns =
        (0..<8).map { i in
          .with {
            $0.name = "X_\(i)"
            $0.kind = .numerical
          }
        }
        + [
          .with {
            $0.name = "output_label"
            $0.kind = .categorical
            $0.role = .prediction
          }
        ]
      $0.task = .classification
      $0.window.size = 10
    }
  }

  @Test("every sampled row reaches the monitor with its request id, so labels logged later join it")
  func reachesTheMonitor() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      try await TestBackend.sqlite.withStorage(migrations: MonitorSchema.migrations) { monitorStorage in
        let (monitor, background) = MonitorRuntime.services(storage: monitorStorage, logger: RouterHarness.logger)
        try await RunningServer.with(services: [monitor], background: background) { monitorServer, monitorClient in
          let monitors = Mlops_Monitor_V1_MonitorService.Client(wrapping: monitorClient)
          _ = try await monitors.createMonitor(.with { $0.monitor = Self.monitorDefinition() })
          var deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)])
          deployment.monitorSampleRate = 1
          _ = try await h.router.createDeployment(.with { $0.deployment = deployment })
          // A second router on the same storage, sampling to the monitor: it loads the version
          // the first one cached, without a registry.
          try await RouterHarness.withRouter(
            storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1, monitorPort: monitorServer.grpcPort
          ) { router, _ in
            let fixture = try FixtureCase("logreg_binary.json")
            var ids: [String] = []
            for (index, instance) in fixture.instances.enumerated() {
              var answer: Mlops_Serving_V1_PredictResponse?
              for _ in 0..<200 where answer == nil {
                answer = try? await router.predict(
                  .with {
                    $0.deployment = "d"
                    $0.instances = [instance]
                    $0.requestID = "req-\(index)"
                  })
                if answer == nil { try await Task.sleep(for: .milliseconds(50)) }
              }
              ids.append(try #require(answer).requestID)
            }
            let labels = ids.map { id in
              Mlops_Monitor_V1_LabelRecord.with {
                $0.requestID = id
                $0.label.int64Value = 1
              }
            }
            var matched: Int64 = 0
            for _ in 0..<600 where matched < Int64(ids.count) {
              try await Task.sleep(for: .milliseconds(50))
              matched = try await monitors.logLabels(
                .with {
                  $0.monitor = "watch"
                  $0.labels = labels
                }
              ).labelsMatched
            }
            #expect(matched == Int64(ids.count))
          }
        }
      }
    }
  }

  @Test("with the monitor down, predictions answer as before and the dropped records are counted")
  func monitorDown() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      var deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)])
      deployment.monitorSampleRate = 1
      _ = try await h.router.createDeployment(.with { $0.deployment = deployment })
      try await RouterHarness.withRouterServer(storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1, monitorPort: 1) {
        running, router, _ in
        let instance = try FixtureCase("logreg_binary.json").instances[0]
        var answered = 0
        for _ in 0..<600 where answered < 50 {
          if (try? await router.predict(
            .with {
              $0.deployment = "d"
              $0.instances = [instance]
            })) != nil
          {
            answered += 1
          } else {
            try await Task.sleep(for: .milliseconds(50))
          }
        }
        #expect(answered == 50)
        var dropped = false
        for _ in 0..<600 where !dropped {
          let scrape = try await running.httpGet("/metrics")
          dropped = scrape.body.contains(#"mlops_router_monitor_records_dropped_total{reason="monitor_failed"}"#)
          if !dropped { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(dropped)
      }
    }
  }
}
