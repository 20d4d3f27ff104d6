import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("A/B routing")
struct RoutingTests {
  @Test("of 10,000 routing keys, a 10-point weight change moves about 10% and every other key stays")
  func sticky() {
    let keys = (0..<10_000).map { "user-\($0)" }
    let before = TrafficSplit(weights: [50, 50])
    let after = TrafficSplit(weights: [60, 40])
    var moved = 0
    for key in keys {
      let (a, b) = (before.index(forKey: key), after.index(forKey: key))
      if a != b {
        moved += 1
        #expect(a == 1 && b == 0, "only keys of the variant that lost weight move, to the one that gained")
      }
    }
    #expect((800...1200).contains(moved), "\(moved) keys moved")
    let three = TrafficSplit(weights: [20, 30, 50])
    let counts = keys.reduce(into: [0, 0, 0]) { $0[three.index(forKey: $1)] += 1 }
    #expect(abs(counts[0] - 2000) < 250 && abs(counts[1] - 3000) < 250 && abs(counts[2] - 5000) < 250, "\(counts)")
    #expect(TrafficSplit(weights: [0, 100]).index(at: 0) == 1 && TrafficSplit(weights: [100, 0]).index(at: 99.999) == 0)
    #expect(TrafficSplit(weights: [0, 0]).index(at: 75) == 1, "all zero: an even split")
  }

  @Test("an A/B deployment keeps each routing key on one variant, splits by weight, and the override header forces a variant")
  func endToEnd() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(
        .with {
          $0.deployment = RouterHarness.deployment("ab", [("classifier", "churn", 1, 50), ("regressor", "churn", 2, 50)], strategy: .ab)
        })
      let instance = try FixtureCase("logreg_binary.json").instances[0]
      var seen: [String: String] = [:]
      for round in 0..<3 {
        for user in 0..<40 {
          let answer = try await h.router.predict(
            .with {
              $0.deployment = "ab"
              $0.instances = [instance]
              $0.routingKey = "user-\(user)"
            })
          #expect(answer.modelVersion == (answer.variant == "classifier" ? 1 : 2))
          if round == 0 { seen["user-\(user)"] = answer.variant } else { #expect(seen["user-\(user)"] == answer.variant) }
        }
      }
      #expect(Set(seen.values) == ["classifier", "regressor"], "both variants take traffic")
      for _ in 0..<5 {
        let forced = try await h.router.predict(
          .with {
            $0.deployment = "ab"
            $0.instances = [instance]
            $0.routingKey = "user-1"
          }, metadata: ["x-mlops-variant": "regressor"])
        #expect(forced.variant == "regressor" && forced.outputs[0].values["variable"] != nil)
      }
      await expectStatus(.invalidArgument, naming: "x-mlops-variant") {
        _ = try await h.router.predict(
          .with {
            $0.deployment = "ab"
            $0.instances = [instance]
          }, metadata: ["x-mlops-variant": "nope"])
      }
    }
  }
}
