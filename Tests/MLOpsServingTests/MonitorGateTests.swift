import Foundation
import GRPCCore
import MLOpsCore
import MLOpsMonitor
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Canary analysis on the monitor's alerts")
struct MonitorGateTests {
  /// Monitor "gate" on deployment "d": column x, windows of 50, a reference of x = 0…999.
  static func prepare(_ monitors: Mlops_Monitor_V1_MonitorService.Client<some ClientTransport>) async throws {
    _ = try await monitors.createMonitor(
      .with {
        $0.monitor = .with {
          $0.name = "gate"
          $0.deployment = "d"
          $0.columns = [
            .with {
              $0.name = "x"
              $0.kind = .numerical
            }
          ]
          $0.window.size = 50
        }
      })
    _ = try await monitors.setReference(requestProducer: { writer in
      try await writer.write(.with { $0.header = .with { $0.monitor = "gate" } })
      try await writer.write(
        .with { $0.rows = .with { $0.rows = (0..<1000).map { i in .with { $0.values = ["x": .with { $0.doubleValue = Double(i) }] } } } })
    })
  }

  @Test("an open drift alert raised during the step fails the canary's check and rolls it back, naming the alert")
  func driftRollsBack() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("m")
      try await TestBackend.sqlite.withStorage(migrations: MonitorSchema.migrations) { monitorStorage in
        let (monitor, background) = MonitorRuntime.services(storage: monitorStorage, logger: RouterHarness.logger, tick: .milliseconds(50))
        try await RunningServer.with(services: [monitor], background: background) { monitorServer, monitorClient in
          let monitors = Mlops_Monitor_V1_MonitorService.Client(wrapping: monitorClient)
          try await Self.prepare(monitors)
          var deployment = CanaryTests.canary("d", primary: 1, canary: 1, steps: [50], intervalMilliseconds: 400, minRequests: 3)
          deployment.variants[1].model.version = 2
          deployment.canary.analysis.useMonitorAlerts = true
          deployment.canary.analysis.maxErrorRate = 1
          // The router that asks the monitor creates the deployment, so its rollout interval
          // runs out first and it takes the lease to judge it (the harness's own router, on
          // the same storage, has no monitor and no traffic).
          try await RouterHarness.withRouter(
            storage: h.storage, modelDirectory: h.modelDirectory, registryPort: h.registryPort, monitorPort: monitorServer.grpcPort
          ) { router, _ in
            _ = try await router.createDeployment(.with { $0.deployment = deployment })
            let instance = try FixtureCase("logreg_binary.json").instances[0]
            var serving = false
            for _ in 0..<400 where !serving {
              serving =
                (try? await router.predict(
                  .with {
                    $0.deployment = "d"
                    $0.instances = [instance]
                  })) != nil
              if !serving { try await Task.sleep(for: .milliseconds(25)) }
            }
            // The drift the canary brought: a window of x far from the reference.
            _ = try await monitors.logPredictions(
              .with {
                $0.monitor = "gate"
                $0.records = (0..<50).map { i in
                  .with {
                    $0.requestID = "r-\(i)"
                    $0.deployment = "d"
                    $0.features = ["x": .with { $0.doubleValue = 5000 + Double(i) }]
                  }
                }
              })
            // Traffic only once the alert is open: until then no check has the requests it needs.
            var open = 0
            for _ in 0..<1200 where open == 0 {
              open = try await monitors.listAlerts(
                .with {
                  $0.monitor = "gate"
                  $0.states = [.open]
                }
              ).alerts.count
              if open == 0 { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(open == 1)
            var status: Mlops_Serving_V1_RolloutStatus?
            for round in 0..<2000 where status?.phase != .rolledBack {
              for key in 0..<5 {
                _ = try? await router.predict(
                  .with {
                    $0.deployment = "d"
                    $0.instances = [instance]
                    $0.routingKey = "k\(round)-\(key)"
                  })
              }
              status = try? await router.getRolloutStatus(.with { $0.deployment = "d" }).status
              try await Task.sleep(for: .milliseconds(10))
            }
            #expect(status?.phase == .rolledBack)
            #expect(status?.message.contains("open drift or performance alert") == true, "\(status?.message ?? "")")
            #expect((status?.analysis.first { $0.variant == "next" }?.openAlerts ?? 0) >= 1)
          }
        }
      }
    }
  }
}
