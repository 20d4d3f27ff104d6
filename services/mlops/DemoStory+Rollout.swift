import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// Steps 6–9: the canary, its failure and the drift, the rollback, the alert and the lineage.
extension DemoStory {
  /// What a burst of requests got: answers by variant and version, and failures.
  struct Traffic {
    var answered: [String: Int] = [:]
    var failed = 0
    var failures: [String: Int] = [:]

    /// `main v1: 100` and the failures, in one line.
    var summary: String {
      var parts = answered.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
      if failed > 0 { parts.append("\(failed) failed") }
      return parts.joined(separator: ", ")
    }
  }

  /// Sends `count` Predict calls, one per customer id (the routing key too, so the split is
  /// by customer), and counts who answered.
  func send(_ count: Int, from first: Int = 0) async throws -> Traffic {
    var traffic = Traffic()
    for index in first..<(first + count) {
      let customer = index % customers
      do {
        let answer = try await router.predict(
          .with {
            $0.deployment = name
            $0.instances = [.with { $0.entityKey = ["customer_id": .with { $0.int64Value = Int64(customer) }] }]
            $0.routingKey = "customer-\(customer)"
          })
        traffic.answered["\(answer.variant) v\(answer.modelVersion)", default: 0] += 1
      } catch let error as RPCError {
        traffic.failed += 1
        traffic.failures[error.message, default: 0] += 1
      }
    }
    return traffic
  }

  /// Adds `version` as the canary (steps of 25 and 50%, judged every `interval` seconds on
  /// error rate, p99 and the monitor's alerts), then makes the customers' data drift.
  func startCanary(version: Int64) async throws {
    let current = try await router.getDeployment(.with { $0.name = name }).deployment
    var next = current
    next.strategy = .canary
    next.variants.append(
      .with {
        $0.name = "canary"
        $0.role = .canary
        $0.model = .with {
          $0.modelName = name
          $0.version = version
        }
      })
    next.canary = .with {
      $0.stepWeights = [25, 50]
      $0.interval = .init(seconds: Int64(interval))
      $0.failureLimit = 1
      $0.autoPromote = true
      $0.analysis = .with {
        $0.maxErrorRate = 0.05
        $0.minRequests = 5
        $0.useMonitorAlerts = true
      }
    }
    let updated = try await router.updateDeployment(
      .with {
        $0.deployment = next
        $0.expectedGeneration = current.generation
      }
    ).deployment
    print("  generation \(updated.generation): canary version \(version) takes 25%, then 50%, each step judged after \(interval) s")
    var data = DemoData(seed: 2)
    _ = try await push(data.vectors(customers, shift: 3))
    print("  every customer's features moved by +3 standard deviations (drift); version \(version) expects 6 inputs, not 8 (errors)")
  }

  /// Keeps traffic flowing and prints each change of the rollout until it is rolled back.
  func awaitRollback() async throws {
    let deadline = Date().addingTimeInterval(TimeInterval(timeout))
    var traffic = Traffic()
    var last = ""
    var sent = 0
    while Date() < deadline {
      let burst = try await send(20, from: sent)
      sent += 20
      traffic.failed += burst.failed
      traffic.answered.merge(burst.answered, uniquingKeysWith: +)
      let status = try await router.getRolloutStatus(.with { $0.deployment = name }).status
      let line = DeploymentText.status(status)
      if line.split(separator: "\n").first.map(String.init) != last {
        last = line.split(separator: "\n").first.map(String.init) ?? ""
        print("  " + line.replacingOccurrences(of: "\n", with: "\n  "))
      }
      if status.phase == .rolledBack {
        print("  traffic meanwhile: \(traffic.summary)")
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw StartupError("the canary was not rolled back within \(timeout) s")
  }

  /// Waits for the monitor's alert on a drifted window (traffic keeps the windows closing).
  func awaitAlert() async throws {
    let deadline = Date().addingTimeInterval(TimeInterval(timeout))
    var sent = 0
    while Date() < deadline {
      let alerts = try await monitors.listAlerts(.with { $0.monitor = monitor }).alerts
      if let alert = alerts.first {
        print("  \(alert.kind) alert \(alert.alertID) (\(alert.state)): \(alert.message)")
        let reports = try await monitors.listDriftReports(.with { $0.monitor = monitor }).reports
        for report in reports.sorted(by: { $0.windowEnd.seconds < $1.windowEnd.seconds }) {
          let drifted = report.columns.filter(\.drifted).map(\.column)
          print("  window of \(report.rows): \(drifted.isEmpty ? "no drift" : "drifted \(drifted.joined(separator: ", "))")")
        }
        return
      }
      _ = try await send(20, from: sent)
      sent += 20
      try await Task.sleep(for: .milliseconds(200))
    }
    throw StartupError("the monitor raised no alert within \(timeout) s")
  }

  /// The gateway's lineage of the deployment.
  func lineage() async throws {
    let lineage = try await gateway.getModelLineage(.with { $0.deployment = name })
    for line in LineageCommand.describe(lineage) { print("  " + line) }
  }
}
