import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

/// Predict and ModelInfer are fast routes on the nghttp2 transport: a call is answered on the
/// event loop when it can be, and otherwise starts again on the ordinary path. Either way a
/// user sees one answer, counted once (the suite also runs on the NIO transport, where every
/// call takes the ordinary path).
@Suite("Calls answered on the event loop or on the ordinary path")
struct InlinePathTests {
  @Test("every Predict and ModelInfer is counted once, whether it ran inline, was declined as too long, or was refused")
  func countedOnce() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)]) })
      let instances = try FixtureCase("linear_regression.json").instances
      for index in 0..<3 {
        let answer = try await h.router.predict(
          .with {
            $0.deployment = "d"
            $0.instances = [instances[index]]
          })
        #expect(answer.outputs.count == 1 && answer.modelVersion == 2)
      }
      // 40,000 rows take longer than an event loop may be held once the model's cost per row
      // is known: the call is declined inline and answered on the ordinary path.
      let many = (0..<40_000).map { instances[$0 % instances.count] }
      let big = try await h.router.predict(
        .with {
          $0.deployment = "d"
          $0.instances = many
        })
      #expect(big.outputs.count == 40_000 && big.outputs[5] == big.outputs[5 % instances.count])
      await expectStatus(.notFound, naming: "'nope'") { _ = try await h.router.predict(.with { $0.deployment = "nope" }) }
      await expectStatus(.invalidArgument, naming: "deployment") { _ = try await h.router.predict(.init()) }
      let tensor = Inference_ModelInferRequest.InferInputTensor.with {
        $0.name = "X"
        $0.datatype = "FP32"
        $0.shape = [1, 8]
        $0.contents.fp32Contents = [Float](repeating: 0.5, count: 8)
      }
      _ = try await h.oip.modelInfer(
        .with {
          $0.modelName = "d"
          $0.inputs = [tensor]
        })
      await expectStatus(.invalidArgument, naming: "inputs") { _ = try await h.oip.modelInfer(.with { $0.modelName = "d" }) }

      let scrape = try await h.server.httpGet("/metrics").body
      #expect(scrape.contains(#"mlops_router_predictions_total{deployment="d",variant="main"} 5"#), "\(scrape)")
      let predict = #"grpc_service="mlops.serving.v1.InferenceRouterService",grpc_method="Predict""#
      #expect(scrape.contains("grpc_server_started_total{\(predict)} 6"))
      #expect(scrape.contains("grpc_server_handled_total{\(predict),grpc_code=\"OK\"} 4"))
      #expect(scrape.contains("grpc_server_handled_total{\(predict),grpc_code=\"NotFound\"} 1"))
      #expect(scrape.contains("grpc_server_handled_total{\(predict),grpc_code=\"InvalidArgument\"} 1"))
      let infer = #"grpc_service="inference.GRPCInferenceService",grpc_method="ModelInfer""#
      #expect(scrape.contains("grpc_server_started_total{\(infer)} 2"))
      #expect(scrape.contains("grpc_server_handled_total{\(infer),grpc_code=\"InvalidArgument\"} 1"))
    }
  }

  @Test("a model's cost per row decides whether a batch may run inline, and one slow run does not exile it")
  func budget() {
    let budget = InlineBudget()
    #expect(budget.fits(rows: 1_000_000), "a model not yet run is tried inline")
    budget.record(rows: 10, elapsed: .microseconds(20))
    #expect(budget.fits(rows: 250) && !budget.fits(rows: 251), "2 µs a row: 250 rows fill the 500 µs an event loop may be held")
    budget.record(rows: 1, elapsed: .microseconds(18))
    #expect(budget.fits(rows: 125) && !budget.fits(rows: 126), "one slower run moves the average an eighth of the way: 4 µs a row")
  }
}
