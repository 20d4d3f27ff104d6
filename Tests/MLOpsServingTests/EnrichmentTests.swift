import Foundation
import GRPCCore
import MLOpsCore
import MLOpsFeatureStore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Feature enrichment")
struct EnrichmentTests {
  /// A feature-server holding, for customer 1001, the first fixture row as the list feature
  /// `churn_features:X`; customer 1002 has no row.
  static func withFeatures(_ body: (Int) async throws -> Void) async throws {
    try await TestBackend.sqlite.withStorage(migrations: FeatureSchema.migrations) { storage in
      let (service, follower) = try await FeatureStoreRuntime.services(storage: storage, logger: RouterHarness.logger)
      try await RunningServer.with(services: [service], background: [follower]) { server, client in
        let store = Mlops_Features_V1_FeatureStoreService.Client(wrapping: client)
        _ = try await store.applyEntity(
          .with {
            $0.entity = .with {
              $0.name = "customer"
              $0.joinKey = "customer_id"
              $0.valueType = .int64
            }
          })
        _ = try await store.applyFeatureView(
          .with {
            $0.featureView = .with {
              $0.name = "churn_features"
              $0.entities = ["customer"]
              $0.features = [
                .with {
                  $0.name = "X"
                  $0.type = .doubleList
                }
              ]
            }
          })
        let row = try FixtureCase("logreg_binary.json").rows[0]
        _ = try await store.push(
          .with {
            $0.featureView = "churn_features"
            $0.to = .online
            $0.rows = [
              .with {
                $0.entityKey = ["customer_id": .with { $0.int64Value = 1001 }]
                $0.eventTime = .init(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
                $0.features["X"] = .with { $0.doubleList.values = row }
              }
            ]
          })
        try await body(server.grpcPort)
      }
    }
  }

  static func deployment(refuseMissing: Bool) -> Mlops_Serving_V1_Deployment {
    var deployment = RouterHarness.deployment(refuseMissing ? "strict" : "lenient", [("main", "churn", 1, 100)])
    deployment.enrichment = .with {
      $0.features = ["churn_features:X"]
      $0.refuseMissing = refuseMissing
    }
    return deployment
  }

  static func customer(_ id: Int64) -> Mlops_Serving_V1_PredictInstance {
    .with { $0.entityKey["customer_id"] = .with { $0.int64Value = id } }
  }

  @Test("entity keys are enriched from the online store in one lookup; a missing value is NaN or refused, as the deployment chooses")
  func enriches() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = Self.deployment(refuseMissing: false) })
      _ = try await h.router.createDeployment(.with { $0.deployment = Self.deployment(refuseMissing: true) })
      let fixture = try FixtureCase("logreg_binary.json")
      let expected = (fixture.outputs["output_label"] as! [NSNumber])[0].int64Value
      try await Self.withFeatures { featurePort in
        try await RouterHarness.withRouter(
          storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1, featurePort: featurePort
        ) { router, _ in
          var answer: Mlops_Serving_V1_PredictResponse?
          for _ in 0..<400 where answer == nil {
            answer = try? await router.predict(
              .with {
                $0.deployment = "strict"
                $0.instances = [Self.customer(1001)]
              })
            if answer == nil { try await Task.sleep(for: .milliseconds(50)) }
          }
          #expect(answer?.outputs.first?.values["output_label"]?.int64Value == expected)
          // Twice: on nghttp2 the first enriched call opened the router's own connection to the
          // feature-server, so the second round's lookups go out on the event loop.
          for round in 0..<2 {
            if round == 1 { try await Task.sleep(for: .milliseconds(200)) }
            try await Self.checkEnrichment(router, fixture: fixture, expected: expected)
          }
        }
      }
    }
  }

  /// Several rows, a missing value under each policy, and a sent value winning.
  static func checkEnrichment(_ router: RouterHarness.Router, fixture: FixtureCase, expected: Int64) async throws {
    // Several rows in one request, one of them for a customer without features.
    let lenient = try await router.predict(
      .with {
        $0.deployment = "lenient"
        $0.instances = [Self.customer(1001), Self.customer(1002)]
      })
    #expect(lenient.outputs.count == 2 && lenient.outputs[0].values["output_label"]?.int64Value == expected)
    await expectStatus(.failedPrecondition, naming: "instances[1].entity_key") {
      _ = try await router.predict(
        .with {
          $0.deployment = "strict"
          $0.instances = [Self.customer(1001), Self.customer(1002)]
        })
    }
    await expectStatus(.failedPrecondition, naming: "churn_features:X") {
      _ = try await router.predict(
        .with {
          $0.deployment = "strict"
          $0.instances = [Self.customer(1002)]
        })
    }
    // A value sent with the request wins over the store's.
    var sent = Self.customer(1001)
    sent.features["X"] = .with { $0.doubleList.values = fixture.rows[1] }
    let own = try await router.predict(
      .with {
        $0.deployment = "strict"
        $0.instances = [sent]
      })
    #expect(own.outputs[0].values["output_label"]?.int64Value == (fixture.outputs["output_label"] as! [NSNumber])[1].int64Value)
  }

  @Test("with the feature-server down, enrichment is UNAVAILABLE naming it and plain predictions keep working")
  func featureServerDown() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = Self.deployment(refuseMissing: false) })
      try await RouterHarness.withRouter(storage: h.storage, modelDirectory: h.modelDirectory, registryPort: 1, featurePort: 1) {
        router, _ in
        let plain = try FixtureCase("logreg_binary.json").instances[0]
        var answer: Mlops_Serving_V1_PredictResponse?
        for _ in 0..<400 where answer == nil {
          answer = try? await router.predict(
            .with {
              $0.deployment = "lenient"
              $0.instances = [plain]
            })
          if answer == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(answer?.outputs.count == 1)
        await expectStatus(.unavailable, naming: "feature-server") {
          _ = try await router.predict(
            .with {
              $0.deployment = "lenient"
              $0.instances = [Self.customer(1001)]
            })
        }
      }
    }
  }
}
