import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Remote Open Inference Protocol backends")
struct RemoteBackendTests {
  @Test("a variant served by another router answers what that router's model computes; a backend that is down is UNAVAILABLE naming it")
  func remote() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("backend", [("main", "churn", 2, 100)]) })
      // A second router, on its own storage, serving "backend" of the first as its variant.
      try await TestBackend.sqlite.withStorage(migrations: ServingSchema.migrations) { storage in
        let models = h.modelDirectory.appendingPathComponent("front")
        try await RouterHarness.withRouter(storage: storage, modelDirectory: models, registryPort: 1) { front, oip in
          var deployment = RouterHarness.deployment("front", [("remote", "backend", 0, 100)])
          deployment.variants[0].model = .with { $0.modelName = "backend" }
          deployment.variants[0].remoteEndpoint = "127.0.0.1:\(h.routerPort)"
          _ = try await front.createDeployment(.with { $0.deployment = deployment })
          let fixture = try FixtureCase("linear_regression.json")
          let answer = try await front.predict(
            .with {
              $0.deployment = "front"
              $0.instances = fixture.instances
            })
          let expected = (fixture.outputs["variable"] as! [NSNumber]).map(\.doubleValue)
          #expect(answer.variant == "remote" && answer.outputs.count == expected.count)
          #expect(zip(answer.outputs, expected).allSatisfy { abs(($0.values["variable"]?.doubleValue ?? .nan) - $1) < 1e-5 })
          let metadata = try await oip.modelMetadata(.with { $0.name = "front" })
          #expect(metadata.inputs.first?.name == "X" && metadata.inputs.first?.shape == [-1, 8])
          await expectStatus(.invalidArgument, naming: "instances[0].features[X]") {
            _ = try await front.predict(
              .with {
                $0.deployment = "front"
                $0.instances = [.with { $0.features["X"] = .with { $0.doubleValue = 1 } }]
              })
          }
          var down = deployment
          down.name = "down"
          down.variants[0].remoteEndpoint = "127.0.0.1:1"
          await expectStatus(.unavailable, naming: "127.0.0.1:1") { _ = try await front.createDeployment(.with { $0.deployment = down }) }
          var unknown = deployment
          unknown.name = "unknown"
          unknown.variants[0].model.modelName = "no-such-deployment"
          await expectStatus(.failedPrecondition, naming: "no-such-deployment") {
            _ = try await front.createDeployment(.with { $0.deployment = unknown })
          }
        }
      }
    }
  }
}
