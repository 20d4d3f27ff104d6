import Foundation
import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("The Open Inference Protocol")
struct OpenInferenceServiceTests {
  static func raw(_ values: [Float]) -> Data {
    var data = Data()
    for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }

  @Test("server calls answer, a deployment is a ready model with metadata, and ModelInfer matches onnxruntime")
  func infer() async throws {
    try await RouterHarness.with(.sqlite) { h in
      let live = try await h.oip.serverLive(.init()).live
      let ready = try await h.oip.serverReady(.init()).ready
      #expect(live && ready)
      #expect(try await h.oip.serverMetadata(.init()).name == "mlops-inference-router")
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)]) })
      #expect(try await h.oip.modelReady(.with { $0.name = "d" }).ready)
      let metadata = try await h.oip.modelMetadata(.with { $0.name = "d" })
      #expect(metadata.versions == ["2"] && metadata.inputs.first?.name == "X" && metadata.inputs.first?.datatype == "FP32")
      #expect(metadata.inputs.first?.shape.last == 8)
      let fixture = try FixtureCase("linear_regression.json")
      let flat = fixture.rows.flatMap { $0.map(Float.init) }
      let input = Inference_ModelInferRequest.InferInputTensor.with {
        $0.name = "X"
        $0.datatype = "FP32"
        $0.shape = [Int64(fixture.rows.count), 8]
      }
      let expected = (fixture.outputs["variable"] as! [NSNumber]).map(\.doubleValue)
      for useRaw in [true, false] {
        let answer = try await h.oip.modelInfer(
          .with {
            $0.modelName = "d"
            $0.id = "req-7"
            var tensor = input
            if useRaw { $0.rawInputContents = [Self.raw(flat)] } else { tensor.contents.fp32Contents = flat }
            $0.inputs = [tensor]
          })
        #expect(answer.modelVersion == "2" && answer.id == "req-7" && answer.outputs.first?.datatype == "FP32")
        let bytes = try #require(answer.rawOutputContents.first)
        let got = stride(from: 0, to: bytes.count, by: 4).map { offset in
          Double(
            Float(
              bitPattern: bytes[bytes.startIndex + offset..<bytes.startIndex + offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }))
        }
        #expect(got.count == expected.count && zip(got, expected).allSatisfy { abs($0 - $1) < 1e-5 })
      }
    }
  }

  @Test("bad ModelInfer requests get their status naming the field")
  func refusals() async throws {
    try await RouterHarness.with(.sqlite) { h in
      try await h.registerBoth("churn")
      _ = try await h.router.createDeployment(.with { $0.deployment = RouterHarness.deployment("d", [("main", "churn", 2, 100)]) })
      let good = Inference_ModelInferRequest.InferInputTensor.with {
        $0.name = "X"
        $0.datatype = "FP32"
        $0.shape = [1, 8]
        $0.contents.fp32Contents = Array(repeating: 0.5, count: 8)
      }
      func request(_ change: (inout Inference_ModelInferRequest) -> Void) -> Inference_ModelInferRequest {
        var r = Inference_ModelInferRequest.with {
          $0.modelName = "d"
          $0.inputs = [good]
        }
        change(&r)
        return r
      }
      let cases: [(Inference_ModelInferRequest, RPCError.Code, String)] = [
        (request { $0.modelName = "nope" }, .notFound, "'nope'"),
        (request { $0.inputs = [] }, .invalidArgument, "inputs"),
        (request { $0.inputs[0].name = "Y" }, .invalidArgument, "inputs[0].name"),
        (request { $0.inputs[0].shape = [2, 8] }, .invalidArgument, "inputs[0].contents"),
        (request { $0.inputs[0].shape = [-1, 8] }, .invalidArgument, "inputs[0].shape[0]"),
        (request { $0.inputs[0].shape = [Int64.max, Int64.max] }, .invalidArgument, "inputs[0].shape"),
        (request { $0.inputs[0].datatype = "BYTES" }, .invalidArgument, "inputs[0]"),
        (request { $0.inputs[0].datatype = "FP8" }, .invalidArgument, "inputs[0].datatype"),
        (request { $0.rawInputContents = [Data([1, 2, 3])] }, .invalidArgument, "raw_input_contents"),
        (request { $0.rawInputContents = [Data(), Data()] }, .invalidArgument, "raw_input_contents"),
        (request { $0.outputs = [.with { $0.name = "nope" }] }, .invalidArgument, "outputs"),
        (request { $0.modelVersion = "1" }, .failedPrecondition, "model_version"),
        (
          request {
            $0.inputs[0].shape = [1, 4]
            $0.inputs[0].contents.fp32Contents = [1, 2, 3, 4]
          }, .invalidArgument, "inputs"
        ),
      ]
      for (r, code, text) in cases {
        await expectStatus(code, naming: text) { _ = try await h.oip.modelInfer(r) }
      }
      await expectStatus(.notFound, naming: "'nope'") { _ = try await h.oip.modelMetadata(.with { $0.name = "nope" }) }
      await expectStatus(.notFound, naming: "'nope'") { _ = try await h.oip.modelReady(.with { $0.name = "nope" }) }
      let answer = try await h.oip.modelInfer(request { _ in })
      #expect(answer.outputs.count == 1)
    }
  }
}
