import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import SwiftProtobuf
import Testing

@Suite("Response cache and sticky fields")
struct ResponseCacheTests {
  static func cached(_ deployment: Mlops_Serving_V1_Deployment, entries: Int64, ttl: Duration) -> Mlops_Serving_V1_Deployment {
    var d = deployment
    d.cache = .with {
      $0.maxEntries = entries
      $0.ttl = .with {
        $0.seconds = ttl.components.seconds
        $0.nanos = Int32(ttl.components.attoseconds / 1_000_000_000)
      }
    }
    return d
  }

  @Test("a repeated input is answered from the cache with the model's answer; the least recently used is dropped first")
  func lru() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      let plain = RouterHarness.deployment("d", [("main", "churn", 2, 100)])
      _ = try await h.router.createDeployment(.with { $0.deployment = Self.cached(plain, entries: 2, ttl: .seconds(3600)) })
      let instances = try FixtureCase("linear_regression.json").instances
      func predict(_ index: Int) async throws -> Mlops_Serving_V1_PredictResponse {
        try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instances[index]]
          })
      }
      let first = try await predict(0)
      let again = try await predict(0)
      #expect(!first.cached && again.cached)
      #expect(again.outputs == first.outputs && again.modelVersion == 2 && again.variant == "main")
      #expect(try await predict(1).cached == false)
      #expect(try await predict(0).cached, "0 is now the most recently used")
      #expect(try await predict(2).cached == false, "the third answer evicts 1, the least recently used")
      #expect(try await predict(0).cached)
      #expect(try await predict(1).cached == false, "1 was evicted")

      let scrape = try await h.server.httpGet("/metrics").body
      #expect(scrape.contains(#"mlops_router_cache_hits_total{deployment="d"} 3"#), "\(scrape)")
      #expect(scrape.contains(#"mlops_router_cache_misses_total{deployment="d"} 4"#))
      #expect(scrape.contains(#"mlops_router_cache_evictions_total{deployment="d"} 2"#))

      let shown = try await h.router.getDeployment(.with { $0.name = "d" }).deployment
      #expect(shown.cache.maxEntries == 2 && shown.cache.ttl.seconds == 3600)
      _ = try await h.router.updateDeployment(.with { $0.deployment = Self.cached(plain, entries: 2, ttl: .seconds(3600)) })
      #expect(try await predict(0).cached == false, "a new generation starts with an empty cache")
      _ = try await h.router.updateDeployment(.with { $0.deployment = plain })
      _ = try await predict(0)
      #expect(try await predict(0).cached == false, "a deployment without a cache runs the model every time")
    }
  }

  @Test("an answer older than the TTL is not reused, and ModelInfer shares the cache")
  func ttlAndOpenInference() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      let plain = RouterHarness.deployment("d", [("main", "churn", 2, 100)])
      _ = try await h.router.createDeployment(.with { $0.deployment = Self.cached(plain, entries: 100, ttl: .milliseconds(50)) })
      let instance = try FixtureCase("linear_regression.json").instances[0]
      #expect(
        try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instance]
          }
        ).cached == false)
      try await Task.sleep(for: .milliseconds(120))
      #expect(
        try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instance]
          }
        ).cached == false, "expired")

      _ = try await h.router.updateDeployment(.with { $0.deployment = Self.cached(plain, entries: 100, ttl: .seconds(3600)) })
      let row = try FixtureCase("linear_regression.json").rows[0].map(Float.init)
      let infer = Inference_ModelInferRequest.with {
        $0.modelName = "d"
        $0.inputs = [
          .with {
            $0.name = "X"
            $0.datatype = "FP32"
            $0.shape = [1, 8]
            $0.contents.fp32Contents = row
          }
        ]
      }
      let predicted = try await h.router.predict(
        .with {
          $0.deployment = "d"
          $0.instances = [instance]
        })
      let first = try await h.oip.modelInfer(infer)
      let second = try await h.oip.modelInfer(infer)
      #expect(!predicted.cached)
      #expect(first.parameters["cached"]?.boolParam == true, "the same tensor Predict fed the model")
      #expect(second.parameters["cached"]?.boolParam == true && second.rawOutputContents == first.rawOutputContents)
    }
  }

  @Test("a cache without a TTL or with no room is refused naming the field, and nothing is stored")
  func refusals() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      var noTTL = RouterHarness.deployment("d", [("main", "churn", 2, 100)])
      noTTL.cache.maxEntries = 10
      await expectStatus(.invalidArgument, naming: "deployment.cache.ttl") {
        _ = try await h.router.createDeployment(.with { $0.deployment = noTTL })
      }
      let empty = Self.cached(RouterHarness.deployment("d", [("main", "churn", 2, 100)]), entries: 0, ttl: .seconds(1))
      await expectStatus(.invalidArgument, naming: "deployment.cache.max_entries") {
        _ = try await h.router.createDeployment(.with { $0.deployment = empty })
      }
      var sticky = RouterHarness.deployment("d", [("main", "churn", 2, 100)])
      sticky.routing.stickyKey = String(repeating: "k", count: 300)
      await expectStatus(.invalidArgument, naming: "deployment.routing.sticky_key") {
        _ = try await h.router.createDeployment(.with { $0.deployment = sticky })
      }
      await expectStatus(.notFound, naming: "'d'") { _ = try await h.router.getDeployment(.with { $0.name = "d" }) }
    }
  }

  @Test("with a sticky field, a request's own user_id keeps it on the variant its routing key would choose")
  func stickyField() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      var ab = RouterHarness.deployment("ab", [("classifier", "churn", 1, 50), ("regressor", "churn", 2, 50)], strategy: .ab)
      ab.routing.stickyKey = "user_id"
      _ = try await h.router.createDeployment(.with { $0.deployment = ab })
      #expect(try await h.router.getDeployment(.with { $0.name = "ab" }).deployment.routing.stickyKey == "user_id")
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      var seen: Set<String> = []
      for user in 0..<40 {
        let byKey = try await h.router.predict(
          .with {
            $0.deployment = "ab"
            $0.instances = [instance]
            $0.routingKey = "user-\(user)"
          })
        var tagged = instance
        tagged.features["user_id"] = .with { $0.stringValue = "user-\(user)" }
        for _ in 0..<2 {
          let byField = try await h.router.predict(
            .with {
              $0.deployment = "ab"
              $0.instances = [tagged]
              $0.routingKey = "other"
            })
          #expect(byField.variant == byKey.variant, "user-\(user)")
        }
        seen.insert(byKey.variant)
      }
      #expect(seen == ["classifier", "regressor"], "both variants take users")
    }
  }
}
