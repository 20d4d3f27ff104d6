import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Canary rollouts")
struct CanaryTests {
  /// A primary on `primary` and a canary on `canary` of model "m", with the given policy.
  static func canary(
    _ name: String, primary: Int64, canary: Int64, steps: [Double], intervalMilliseconds: Int64, autoPromote: Bool = true,
    failureLimit: Int32 = 1, minRequests: Int64 = 5
  ) -> Mlops_Serving_V1_Deployment {
    var deployment = RouterHarness.deployment(name, [("main", "m", primary, 0), ("next", "m", canary, 0)], strategy: .canary)
    deployment.variants[1].role = .canary
    deployment.canary = .with {
      $0.stepWeights = steps
      $0.interval = .init(milliseconds: intervalMilliseconds)
      $0.failureLimit = failureLimit
      $0.autoPromote = autoPromote
      $0.analysis = .with {
        $0.minRequests = minRequests
        $0.maxErrorRate = 0.05
      }
    }
    return deployment
  }

  /// Sends predictions with fresh routing keys until `done` holds of the rollout (30 s at most).
  static func drive(
    _ h: RouterHarness, _ name: String, until done: (Mlops_Serving_V1_RolloutStatus) -> Bool
  ) async throws -> Mlops_Serving_V1_RolloutStatus {
    let instance = try FixtureCase("logreg_binary.json").instances[0]
    for round in 0..<3000 {
      let status = try await h.router.getRolloutStatus(.with { $0.deployment = name }).status
      if done(status) { return status }
      for key in 0..<10 {
        _ = try? await h.router.predict(
          .with {
            $0.deployment = name
            $0.instances = [instance]
            $0.routingKey = "k-\(round)-\(key)"
          })
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("the rollout of \(name) did not get there within the deadline")
    return try await h.router.getRolloutStatus(.with { $0.deployment = name }).status
  }

  @Test("a healthy canary is promoted through every step, and its model then serves as the primary", arguments: TestBackend.available)
  func promoted(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.register("m", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("m", fixture: "decision_tree_classifier.onnx", outputs: [("output_label", .int64)])
      let created = try await h.router.createDeployment(
        .with {
          $0.deployment = Self.canary("d", primary: 1, canary: 2, steps: [20, 50], intervalMilliseconds: 300)
        }
      ).deployment
      #expect(created.canary.stepWeights == [20, 50])
      let first = try await h.router.getRolloutStatus(.with { $0.deployment = "d" }).status
      #expect(first.phase == .progressing && first.step == 0 && first.canaryWeight == 20)
      let watcher = Task {
        try await h.router.watchRollout(.with { $0.deployment = "d" }) { response in
          var seen: [Mlops_Serving_V1_RolloutStatus] = []
          for try await message in response.messages { seen.append(message.status) }
          return seen
        }
      }
      let final = try await Self.drive(h, "d") { $0.phase == .promoted }
      #expect(final.phase == .promoted && final.message.contains("every step passed"))
      let seen = try await watcher.value
      #expect(seen.last?.phase == .promoted)
      #expect(seen.contains { $0.step == 1 && $0.canaryWeight == 50 }, "the second step was published")
      let stored = try await h.router.getDeployment(.with { $0.name = "d" }).deployment
      #expect(stored.variants.count == 1 && stored.variants[0].name == "main" && stored.variants[0].model.version == 2)
      #expect(stored.generation == 2)
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      let answer = try await h.router.predict(
        .with {
          $0.deployment = "d"
          $0.instances = [instance]
        })
      #expect(answer.variant == "main" && answer.modelVersion == 2)
      await expectStatus(.failedPrecondition, naming: "PROMOTED") { _ = try await h.router.rollback(.with { $0.deployment = "d" }) }
    }
  }

  @Test("a canary that cannot run the deployment's inputs is rolled back automatically, naming the failed check")
  func rolledBack() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.register("m", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("m", fixture: "op_linear_regressor_targets.onnx", outputs: [("y", .float)], input: ("x", 4))
      _ = try await h.router.createDeployment(
        .with {
          $0.deployment = Self.canary("d", primary: 1, canary: 2, steps: [50], intervalMilliseconds: 300)
        })
      let final = try await Self.drive(h, "d") { $0.phase == .rolledBack }
      #expect(final.message.contains("automatic rollback") && final.message.contains("error rate"))
      #expect(final.canaryWeight == 0 && final.failedChecks == 1)
      let canary = final.analysis.first { $0.variant == "next" }
      #expect((canary?.errors ?? 0) > 0 && canary?.errors == canary?.requests)
      // Every request now goes to the primary, which answers.
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      for key in 0..<20 {
        let answer = try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instance]
            $0.routingKey = "after-\(key)"
          })
        #expect(answer.variant == "main")
      }
      // The canary's refusal reached callers as its failure, not as their mistake.
      await expectStatus(.failedPrecondition, naming: "variant 'next'") {
        _ = try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instance]
          }, metadata: ["x-mlops-variant": "next"])
      }
    }
  }

  @Test("a canary slower than the policy's p50 is rolled back automatically, and WatchRollout shows the failed latency check")
  func slowCanaryRolledBack() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.register("m", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("fast", [("main", "m", 1, 100)]) })
      // A second router answering the same model 40 ms late on every ModelInfer: the canary
      // of the first is that router's deployment, reached as a remote backend.
      try await TestBackend.sqlite.withStorage(migrations: ServingSchema.migrations) { storage in
        let models = h.modelDirectory.appendingPathComponent("slow")
        try await RouterHarness.withRouterServer(
          storage: storage, modelDirectory: models, registryPort: h.registryPort,
          interceptors: [Slowdown(method: "ModelInfer", delay: .milliseconds(40))]
        ) { slow, slowRouter, _ in
          _ = try await slowRouter.createDeployment(.with { $0.deployment = RouterHarness.deployment("slow", [("main", "m", 1, 100)]) })
          var deployment = Self.canary("d", primary: 1, canary: 0, steps: [50], intervalMilliseconds: 300)
          deployment.variants[1].model = .with { $0.modelName = "slow" }
          deployment.variants[1].remoteEndpoint = "127.0.0.1:\(slow.grpcPort)"
          deployment.canary.analysis.maxLatencyP50Ms = 20
          _ = try await h.router.createDeployment(.with { $0.deployment = deployment })
          let watcher = Task {
            try await h.router.watchRollout(.with { $0.deployment = "d" }) { response -> Mlops_Serving_V1_RolloutStatus? in
              for try await message in response.messages where message.status.phase == .rolledBack { return message.status }
              return nil
            }
          }
          let final = try await Self.drive(h, "d") { $0.phase == .rolledBack }
          #expect(final.message.contains("automatic rollback") && final.message.contains("p50"), "\(final.message)")
          let canary = try #require(final.analysis.first { $0.variant == "next" })
          #expect(canary.errors == 0 && canary.latencyP50Ms >= 40, "slow, not failing: \(canary)")
          let watched = try #require(try await watcher.value)
          #expect(watched.failedChecks == 1 && watched.canaryWeight == 0 && watched.message == final.message)
        }
      }
    }
  }

  @Test(
    "pause, resume, rollback and promote by hand follow the phases, and a restart resumes the rollout where it stood",
    arguments: TestBackend.available)
  func byHand(backend: TestBackend) async throws {
    try await RouterHarness.with(backend) { h in
      try await h.register("m", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("m", fixture: "decision_tree_classifier.onnx", outputs: [("output_label", .int64)])
      _ = try await h.router.createDeployment(
        .with {
          $0.deployment = Self.canary("d", primary: 1, canary: 2, steps: [10, 60], intervalMilliseconds: 3_600_000)
        })
      await expectStatus(.failedPrecondition, naming: "PROGRESSING") { _ = try await h.router.resumeRollout(.with { $0.deployment = "d" }) }
      let paused = try await h.router.pauseRollout(.with { $0.deployment = "d" }).status
      #expect(paused.phase == .paused && paused.step == 0 && paused.canaryWeight == 10)
      try await RouterHarness.withRouter(storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1) { router, _ in
        var status: Mlops_Serving_V1_RolloutStatus?
        for _ in 0..<600 where status?.phase != .paused {
          status = try? await router.getRolloutStatus(.with { $0.deployment = "d" }).status
          _ = try? await router.predict(
            .with {
              $0.deployment = "d"
              $0.instances = [try FixtureCase("logreg_binary.json").instances[0]]
            })
          try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status?.phase == .paused && status?.step == 0 && status?.canaryWeight == 10)
        let resumed = try await router.resumeRollout(.with { $0.deployment = "d" }).status
        #expect(resumed.phase == .progressing && resumed.step == 0)
        let back = try await router.rollback(
          .with {
            $0.deployment = "d"
            $0.reason = "drift on the canary"
          }
        ).status
        #expect(back.phase == .rolledBack && back.message.contains("drift on the canary"))
        await expectStatus(.failedPrecondition, naming: "ROLLED_BACK") { _ = try await router.promote(.with { $0.deployment = "d" }) }
      }
      // A new canary through UpdateDeployment starts a new rollout, which Promote ends.
      let updated = try await h.router.updateDeployment(
        .with {
          $0.deployment = Self.canary("d", primary: 1, canary: 2, steps: [30], intervalMilliseconds: 3_600_000)
        }
      ).deployment
      #expect(updated.generation == 2)
      let started = try await h.router.getRolloutStatus(.with { $0.deployment = "d" }).status
      #expect(started.phase == .progressing && started.canaryWeight == 30)
      let promoted = try await h.router.promote(
        .with {
          $0.deployment = "d"
          $0.comment = "looks good"
        }
      ).status
      #expect(promoted.phase == .promoted && promoted.message.contains("looks good"))
      let stored = try await h.router.getDeployment(.with { $0.name = "d" }).deployment
      #expect(stored.variants.map(\.model.version) == [2] && stored.generation == 3)
    }
  }
}

/// Delays every call of one method: a backend behind a slow link, for latency analysis.
struct Slowdown: ServerInterceptor {
  let method: String
  let delay: Duration

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    if context.descriptor.method == method { try await Task.sleep(for: delay) }
    return try await next(request, context)
  }
}
