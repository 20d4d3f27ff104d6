import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto
import MLOpsRuntime

/// `inference.GRPCInferenceService` (Open Inference Protocol v2), so KServe and Triton clients
/// talk to the router unchanged: every deployment is a model, routed by its strategy.
public struct OpenInferenceService: RegistrableRPCService {
  typealias Methods = Inference_GRPCInferenceService.Method

  /// Reported by ServerMetadata.
  public static let serverName = "mlops-inference-router"
  public static let serverVersion = "0.2.0"

  let engine: RouterEngine

  public init(engine: RouterEngine) {
    self.engine = engine
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    router.registerUnary(Methods.ServerLive.self) { (_: Inference_ServerLiveRequest, _) in
      Inference_ServerLiveResponse.with { $0.live = true }
    }
    // The process only accepts calls once its storage is open, so answering means ready.
    router.registerUnary(Methods.ServerReady.self) { (_: Inference_ServerReadyRequest, _) in
      Inference_ServerReadyResponse.with { $0.ready = true }
    }
    router.registerUnary(Methods.ServerMetadata.self) { (_: Inference_ServerMetadataRequest, _) in
      Inference_ServerMetadataResponse.with {
        $0.name = Self.serverName
        $0.version = Self.serverVersion
      }
    }
    let engine = self.engine
    router.registerUnary(Methods.ModelReady.self) { (r: Inference_ModelReadyRequest, _) in
      // Ready means loaded: a stored deployment whose models are not loaded is not ready.
      let ready = (try? await engine.serving(r.name)) != nil
      if !ready { _ = try await engine.deployment(r.name) }
      return Inference_ModelReadyResponse.with { $0.ready = ready }
    }
    router.registerUnary(Methods.ModelMetadata.self) { (r: Inference_ModelMetadataRequest, _) in
      Self.metadata(r.name, try await engine.primary(of: r.name))
    }
    router.registerUnaryWithMetadata(Methods.ModelInfer.self) { (r: Inference_ModelInferRequest, metadata, _) in
      try await self.infer(r, metadata: metadata)
    }
  }

  static func metadata(_ name: String, _ variant: LiveDeployment.Variant) -> Inference_ModelMetadataResponse {
    func tensor(_ spec: ValueSpec) -> Inference_ModelMetadataResponse.TensorMetadata {
      .with {
        $0.name = spec.name
        $0.datatype = datatype(spec)
        $0.shape = (spec.shape ?? [nil, nil]).map { $0.map(Int64.init) ?? -1 }
      }
    }
    return .with {
      $0.name = name
      $0.versions = [String(variant.resolved.version)]
      $0.platform = "onnx"
      $0.inputs = variant.model.inputs.map(tensor)
      $0.outputs = variant.model.outputs.map(tensor)
    }
  }

  static func datatype(_ spec: ValueSpec) -> String {
    switch spec.kind {
    case .maps: "FP32"
    case .unknown: "FP32"
    case .tensor(let type, _):
      switch type {
      case .float: "FP32"
      case .double: "FP64"
      case .int64: "INT64"
      case .string: "BYTES"
      case .bool: "BOOL"
      }
    }
  }
}
