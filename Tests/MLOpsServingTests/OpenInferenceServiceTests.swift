import GRPCCore
import MLOpsProto
import MLOpsServing
import MLOpsTestSupport
import Testing

@Suite("Open Inference Protocol server calls")
struct OpenInferenceServiceTests {
  @Test("liveness, readiness and metadata answer; model calls are UNIMPLEMENTED")
  func serverCalls() async throws {
    try await RunningServer.with(services: [OpenInferenceService()]) { _, client in
      let oip = Inference_GRPCInferenceService.Client(wrapping: client)
      let observed1 = try await oip.serverLive(.init()).live
      #expect(observed1)
      let observed2 = try await oip.serverReady(.init()).ready
      #expect(observed2)
      let metadata = try await oip.serverMetadata(.init())
      #expect(metadata.name == "mlops-inference-router")
      #expect(!metadata.version.isEmpty)
      await #expect {
        _ = try await oip.modelInfer(.with { $0.modelName = "m" })
      } throws: { ($0 as? RPCError)?.code == .unimplemented }
    }
  }
}
