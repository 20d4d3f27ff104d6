import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Shadow variants")
struct ShadowTests {
  /// Deployment "s": the primary on version 1, shadow "twin" on version 1, "tree" on version 2.
  static func request() -> Mlops_Serving_V1_CreateDeploymentRequest {
    var deployment = RouterHarness.deployment("s", [("main", "m", 1, 100), ("twin", "m", 1, 0), ("tree", "m", 2, 0)])
    deployment.variants[1].role = .shadow
    deployment.variants[2].role = .shadow
    return .with { $0.deployment = deployment }
  }

  /// The rollout status once both shadows have run `requests` copies (12 s at most).
  static func settled(_ h: RouterHarness, requests: Int64) async throws -> Mlops_Serving_V1_RolloutStatus {
    for _ in 0..<600 {
      let status = try await h.router.getRolloutStatus(.with { $0.deployment = "s" }).status
      if status.analysis.filter({ $0.requests == requests }).count == 2 { return status }
      try await Task.sleep(for: .milliseconds(20))
    }
    return try await h.router.getRolloutStatus(.with { $0.deployment = "s" }).status
  }

  @Test("shadows never change an answer; an identical shadow agrees on every row and a different model as often as their labels match")
  func mirrors() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.register("m", fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
      try await h.register("m", fixture: "decision_tree_classifier.onnx", outputs: [("output_label", .int64)])
      _ = try await h.router.createDeployment(Self.request())
      // What the tree answers on its own, to know how often it should agree.
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("tree-alone", [("t", "m", 2, 100)]) })
      let fixture = try FixtureCase("logreg_binary.json")
      let labels = (fixture.outputs["output_label"] as! [NSNumber]).map(\.int64Value)
      var matches = 0
      for (row, instance) in fixture.instances.enumerated() {
        let answer = try await h.router.predict(
          .with {
            $0.deployment = "s"
            $0.instances = [instance]
          })
        #expect(answer.variant == "main" && answer.outputs[0].values["output_label"]?.int64Value == labels[row])
        let tree = try await h.router.predict(
          .with {
            $0.deployment = "tree-alone"
            $0.instances = [instance]
          })
        if tree.outputs[0].values["output_label"]?.int64Value == labels[row] { matches += 1 }
      }
      let status = try await Self.settled(h, requests: Int64(labels.count))
      let twin = try #require(status.analysis.first { $0.variant == "twin" })
      let tree = try #require(status.analysis.first { $0.variant == "tree" })
      #expect(twin.requests == Int64(labels.count) && twin.errors == 0 && twin.agreementRate == 1)
      #expect(tree.requests == Int64(labels.count) && abs(tree.agreementRate - Double(matches) / Double(labels.count)) < 1e-9)
      #expect(matches < labels.count, "the two models differ on some rows, so the test can tell them apart")
    }
  }
}
