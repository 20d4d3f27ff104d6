import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Synchronization
import Testing

@Suite("Alias following")
struct AliasTests {
  static func byAlias(_ name: String, strategy: Mlops_Serving_V1_Strategy = .single) -> Mlops_Serving_V1_CreateDeploymentRequest {
    var deployment = RouterHarness.deployment(name, [("main", "churn", 1, 100)], strategy: strategy)
    deployment.variants[0].model.alias = "champion"
    if strategy == .canary {
      deployment.canary = .with {
        $0.stepWeights = [50]
        $0.interval = .init(milliseconds: 200)
        $0.autoPromote = true
        $0.analysis = .with {
          $0.minRequests = 3
          $0.maxErrorRate = 0.05
        }
      }
    }
    return .with { $0.deployment = deployment }
  }

  @Test("when the alias moves under load, the new version takes over and no request fails", arguments: TestBackend.available)
  func swaps(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.register("churn", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("churn", fixture: "decision_tree_classifier.onnx", outputs: [("output_label", .int64)])
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "churn"
          $0.alias = "champion"
          $0.version = 1
        })
      let created = try await h.router.createDeployment(Self.byAlias("d")).deployment
      #expect(created.variants[0].model.alias == "champion")
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      let versions = Mutex<[Int64]>([])
      let failures = Mutex(0)
      let load = Task {
        // Until 50 answers came from version 2, or 30 s (a loaded machine follows slower).
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
          do {
            let answer = try await h.router.predict(
              .with {
                $0.deployment = "d"
                $0.instances = [instance]
              })
            versions.withLock { $0.append(answer.modelVersion) }
            if answer.modelVersion == 2, versions.withLock({ $0.filter { $0 == 2 }.count }) > 50 { break }
          } catch {
            failures.withLock { $0 += 1 }
          }
        }
      }
      try await Task.sleep(for: .milliseconds(100))
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "churn"
          $0.alias = "champion"
          $0.version = 2
        })
      await load.value
      let seen = versions.withLock { $0 }
      #expect(failures.withLock { $0 } == 0)
      #expect(Set(seen).isSubset(of: [1, 2]) && seen.last == 2, "answers name 1 until the swap, then 2")
      if let firstTwo = seen.firstIndex(of: 2) { #expect(!seen[firstTwo...].contains(1), "no answer goes back to version 1") }
      let stored = try await h.router.getDeployment(.with { $0.name = "d" }).deployment
      #expect(stored.generation == 2 && stored.variants[0].model.alias == "champion")
    }
  }

  @Test("in a CANARY deployment the alias's new version is rolled out as a canary and promoted")
  func rollsOut() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.register("churn", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("churn", fixture: "decision_tree_classifier.onnx", outputs: [("output_label", .int64)])
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "churn"
          $0.alias = "champion"
          $0.version = 1
        })
      _ = try await h.router.createDeployment(Self.byAlias("c", strategy: .canary))
      let stable = try await h.router.getRolloutStatus(.with { $0.deployment = "c" }).status
      #expect(stable.phase == .stable)
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "churn"
          $0.alias = "champion"
          $0.version = 2
        })
      var started: Mlops_Serving_V1_RolloutStatus?
      for _ in 0..<600 where started?.phase != .progressing {
        started = try await h.router.getRolloutStatus(.with { $0.deployment = "c" }).status
        try await Task.sleep(for: .milliseconds(20))
      }
      #expect(started?.phase == .progressing && started?.canaryWeight == 50)
      let deployment = try await h.router.getDeployment(.with { $0.name = "c" }).deployment
      #expect(deployment.variants.map(\.name) == ["main", "main-next"] && deployment.variants[1].model.version == 2)
      let final = try await CanaryTests.drive(h, "c") { $0.phase == .promoted }
      #expect(final.phase == .promoted)
      let promoted = try await h.router.getDeployment(.with { $0.name = "c" }).deployment
      #expect(promoted.variants.count == 1 && promoted.variants[0].model.alias == "champion")
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      #expect(
        try await h.router.predict(
          .with {
            $0.deployment = "c"
            $0.instances = [instance]
          }
        ).modelVersion == 2)
    }
  }
}
