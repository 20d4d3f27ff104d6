import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Deployments serve registered models")
struct DeploymentTests {
  @Test("a deployment loads its version from the registry and predicts what onnxruntime computed", arguments: TestBackend.available)
  func predicts(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.registerBoth("churn")
      let created = try await h.router.createDeployment(
        .with { $0.deployment = RouterHarness.deployment("churn-prod", [("main", "churn", 1, 100)]) })
      #expect(created.deployment.generation == 1 && created.deployment.strategy == .single)
      let fixture = try FixtureCase("logreg_binary.json")
      let answer = try await h.router.predict(
        .with {
          $0.deployment = "churn-prod"
          $0.instances = fixture.instances
          $0.requestID = "r-1"
        })
      #expect(answer.variant == "main" && answer.modelName == "churn" && answer.modelVersion == 1 && answer.requestID == "r-1")
      let labels = answer.outputs.map { $0.values["output_label"]?.int64Value }
      #expect(labels == (fixture.outputs["output_label"] as! [NSNumber]).map { $0.int64Value })
      let probabilities = fixture.outputs["output_probability"] as! [[String: NSNumber]]
      for (row, expected) in probabilities.enumerated() {
        let got = answer.outputs[row].values["output_probability.1"]?.doubleValue ?? .nan
        #expect(abs(got - expected["1"]!.doubleValue) < 1e-5, "row \(row)")
      }
      let listed = try await h.router.listDeployments(.init()).deployments.map(\.name)
      #expect(listed == ["churn-prod"])
      let generated = try await h.router.predict(
        .with {
          $0.deployment = "churn-prod"
          $0.instances = Array(fixture.instances.prefix(1))
        })
      #expect(generated.requestID.count == 36, "a request id is generated when none is sent")
    }
  }

  @Test("bad deployments are refused naming the field, and nothing is stored")
  func refusals() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      let cases: [(Mlops_Serving_V1_Deployment, RPCError.Code, String)] = [
        (RouterHarness.deployment("d", [("main", "churn", 9, 100)]), .failedPrecondition, "variants[0].model"),
        (RouterHarness.deployment("d", [("main", "nope", 1, 100)]), .failedPrecondition, "variants[0].model"),
        (RouterHarness.deployment("", [("main", "churn", 1, 100)]), .invalidArgument, "deployment.name"),
        (RouterHarness.deployment("bad name", [("main", "churn", 1, 100)]), .invalidArgument, "deployment.name"),
        (RouterHarness.deployment("d", []), .invalidArgument, "deployment.variants"),
        (RouterHarness.deployment("d", [("a", "churn", 1, 70), ("b", "churn", 2, 20)], strategy: .ab), .invalidArgument, "add up to 100"),
        (
          RouterHarness.deployment("d", [("a", "churn", 1, 50), ("a", "churn", 2, 50)], strategy: .ab), .invalidArgument, "variants[1].name"
        ),
        (RouterHarness.deployment("d", [("a", "churn", 1, -5)]), .invalidArgument, "variants[0].weight"),
        (RouterHarness.deployment("d", [("a", "churn", 0, 100)]), .invalidArgument, "variants[0].model"),
        (RouterHarness.deployment("d", [("a", "churn", 1, 100)], strategy: .canary), .invalidArgument, "deployment.canary"),
      ]
      for (deployment, code, text) in cases {
        await expectStatus(code, naming: text) { _ = try await h.router.createDeployment(.with { $0.deployment = deployment }) }
      }
      var remote = RouterHarness.deployment("d", [("a", "churn", 1, 100)])
      remote.variants[0].remoteEndpoint = "no-port"
      await expectStatus(.invalidArgument, naming: "variants[0].remote_endpoint") {
        _ = try await h.router.createDeployment(.with { $0.deployment = remote })
      }
      let listed = try await h.router.listDeployments(.init()).deployments
      #expect(listed.isEmpty)
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
      await expectStatus(.alreadyExists, naming: "'d'") {
        _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)]) })
      }
      let kept = try await h.router.getDeployment(.with { $0.name = "d" }).deployment
      #expect(kept.variants.first?.model.version == 1 && kept.generation == 1)
    }
  }

  @Test("bad predictions get their status naming the row and column, and the service keeps serving")
  func badInputs() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
      func instance(_ value: Mlops_Common_V1_Value, name: String = "X") -> Mlops_Serving_V1_PredictInstance {
        .with { $0.features[name] = value }
      }
      let eight = Mlops_Common_V1_Value.with { $0.doubleList = .with { $0.values = Array(repeating: 0.5, count: 8) } }
      let cases: [(String, [Mlops_Serving_V1_PredictInstance], RPCError.Code, String)] = [
        ("nope", [instance(eight)], .notFound, "'nope'"),
        ("", [instance(eight)], .invalidArgument, "deployment"),
        ("d", [], .invalidArgument, "instances"),
        ("d", [instance(eight), instance(eight, name: "Y")], .invalidArgument, "instances[1].features[X]"),
        ("d", [instance(.with { $0.stringValue = "high" })], .invalidArgument, "instances[0].features[X]"),
        ("d", [instance(.with { $0.doubleList = .with { $0.values = [1, 2, 3] } })], .invalidArgument, "takes 8 per row"),
        ("d", [instance(.with { $0.bytesValue = Data([1]) })], .invalidArgument, "instances[0].features[X]"),
        ("d", [.with { $0.entityKey["driver_id"] = .with { $0.int64Value = 1 } }], .failedPrecondition, "instances[0].entity_key"),
      ]
      for (deployment, instances, code, text) in cases {
        await expectStatus(code, naming: text) {
          _ = try await h.router.predict(
            .with {
              $0.deployment = deployment
              $0.instances = instances
            })
        }
      }
      let answer = try await h.router.predict(
        .with {
          $0.deployment = "d"
          $0.instances = [instance(eight)]
        })
      #expect(answer.outputs.count == 1)
    }
  }

  @Test("an update swaps the version at once, refuses a stale generation, and delete stops serving", arguments: TestBackend.available)
  func updateAndDelete(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
      let fixture = try FixtureCase("linear_regression.json")
      let updated = try await h.router.updateDeployment(
        .with {
          $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)])
          $0.expectedGeneration = 1
        }
      ).deployment
      #expect(updated.generation == 2 && updated.createdTime.seconds > 0)
      let answer = try await h.router.predict(
        .with {
          $0.deployment = "d"
          $0.instances = fixture.instances
        })
      #expect(answer.modelVersion == 2)
      let expected = (fixture.outputs["variable"] as! [NSNumber]).map(\.doubleValue)
      #expect(zip(answer.outputs, expected).allSatisfy { abs(($0.values["variable"]?.doubleValue ?? .nan) - $1) < 1e-5 })
      await expectStatus(.failedPrecondition, naming: "expected_generation") {
        _ = try await h.router.updateDeployment(
          .with {
            $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)])
            $0.expectedGeneration = 1
          })
      }
      await expectStatus(.notFound, naming: "'other'") {
        _ = try await h.router.updateDeployment(.with { $0.deployment = RouterHarness.deployment("other", [("main", "churn", 1, 100)]) })
      }
      _ = try await h.router.deleteDeployment(.with { $0.name = "d" })
      await expectStatus(.notFound, naming: "'d'") {
        _ = try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = fixture.instances
          })
      }
      await expectStatus(.notFound, naming: "'d'") { _ = try await h.router.deleteDeployment(.with { $0.name = "d" }) }
    }
  }

  @Test("a restarted router serves its deployments from the disk cache with the registry down", arguments: TestBackend.available)
  func restart(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
      let fixture = try FixtureCase("logreg_binary.json")
      try await RouterHarness.withRouter(storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1) { router, _ in
        var answer: Mlops_Serving_V1_PredictResponse?
        for _ in 0..<600 where answer == nil {
          answer = try? await router.predict(
            .with {
              $0.deployment = "d"
              $0.instances = fixture.instances
            })
          if answer == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answer?.modelVersion == 1 && answer?.outputs.count == fixture.rows.count)
        let stored = try await router.getDeployment(.with { $0.name = "d" }).deployment
        #expect(stored.generation == 1)
      }
      // Without a cache and without a registry, the deployment is stored but cannot serve.
      let empty = h.modelDirectory.appendingPathComponent("empty")
      try await RouterHarness.withRouter(storage: h.storage, modelDirectory: empty, registryPort: 1) { router, oip in
        try await Task.sleep(for: .milliseconds(200))
        await expectStatus(.unavailable, naming: "'d'") {
          _ = try await router.predict(
            .with {
              $0.deployment = "d"
              $0.instances = fixture.instances
            })
        }
        let ready = try await oip.modelReady(.with { $0.name = "d" }).ready
        #expect(!ready)
      }
    }
  }

  @Test("rollout calls see a stable deployment: status STABLE, actions FAILED_PRECONDITION, watch ends")
  func rollouts() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
      let status = try await h.router.getRolloutStatus(.with { $0.deployment = "d" }).status
      #expect(status.phase == .stable && status.step == -1)
      await expectStatus(.failedPrecondition, naming: "no rollout") { _ = try await h.router.promote(.with { $0.deployment = "d" }) }
      await expectStatus(.failedPrecondition, naming: "no rollout") { _ = try await h.router.rollback(.with { $0.deployment = "d" }) }
      await expectStatus(.notFound, naming: "'x'") { _ = try await h.router.getRolloutStatus(.with { $0.deployment = "x" }) }
      let watched = try await h.router.watchRollout(.with { $0.deployment = "d" }) { response in
        var seen: [Mlops_Serving_V1_RolloutStatus] = []
        for try await message in response.messages { seen.append(message.status) }
        return seen
      }
      #expect(watched.map(\.phase) == [.stable])
    }
  }
}

@Suite("Replicas sharing storage")
struct ReplicaTests {
  @Test("a second router follows creates, updates and deletes made through the first", arguments: TestBackend.available)
  func follows(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.registerBoth("churn")
      // Both versions in the shared model cache, so the second router needs no registry.
      _ = try await h.router.createDeployment(
        .with { $0.deployment = RouterHarness.deployment("warm", [("a", "churn", 1, 50), ("b", "churn", 2, 50)], strategy: .ab) })
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      try await RouterHarness.withRouter(storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1) { replica, _ in
        /// The version the replica serves "d" with; nil once it says NOT_FOUND, -1 for any
        /// other failure (a loaded machine's transient one), which keeps the wait going.
        func version() async -> Int64? {
          do {
            return try await replica.predict(
              .with {
                $0.deployment = "d"
                $0.instances = [instance]
              }
            ).modelVersion
          } catch let error as RPCError where error.code == .notFound {
            return nil
          } catch {
            return -1
          }
        }
        /// Polls the replica until it serves `expected` (nil: answers NOT_FOUND), for at most 20 s.
        /// (This helper was once named `await`, which made `try await await (1)` the keyword
        /// applied to `(1)`: the test never waited, and raced the replica's refresh.)
        func settled(_ expected: Int64?) async throws -> Int64? {
          var seen = await version()
          for _ in 0..<400 where seen != expected {
            try await Task.sleep(for: .milliseconds(50))
            seen = await version()
          }
          return seen
        }
        _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 1, 100)]) })
        #expect(try await settled(1) == 1)
        _ = try await h.router.updateDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)]) })
        #expect(try await settled(2) == 2)
        _ = try await h.router.deleteDeployment(.with { $0.name = "d" })
        #expect(try await settled(nil) == nil)
        await expectStatus(.notFound, naming: "'d'") {
          _ = try await replica.predict(
            .with {
              $0.deployment = "d"
              $0.instances = [instance]
            })
        }
      }
    }
  }
}

@Suite("Rollout leases")
struct LeaseTests {
  @Test("one router at a time judges a rollout; a lease that lapses passes to another", arguments: TestBackend.available)
  func lease(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: ServingSchema.migrations) { storage in
      let store = DeploymentStore(executor: storage.executor)
      let steps: [(String, String, Int64, Bool)] = [
        ("d", "a", 1_000, true), ("d", "b", 2_000, false), ("d", "a", 5_000, true), ("d", "b", 14_999, false),
        ("d", "b", 15_001, true), ("d", "a", 16_000, false), ("other", "a", 16_000, true),
      ]
      for (deployment, owner, now, expected) in steps {
        let held = try await store.lease(deployment, owner: owner, now: now, until: now + 10_000)
        #expect(held == expected, "\(owner) at \(now) on \(deployment)")
      }
    }
  }
}
