import GRPCCore
import MLOpsCore
import MLOpsProto

/// `inference.GRPCInferenceService` (Open Inference Protocol v2), so KServe and Triton clients
/// can talk to the router unchanged. Server liveness, readiness and metadata are answered now;
/// the per-model calls need deployments and answer UNIMPLEMENTED until the serving issue.
public struct OpenInferenceService: RegistrableRPCService {
  typealias Methods = Inference_GRPCInferenceService.Method

  /// Reported by ServerMetadata.
  public static let serverName = "mlops-inference-router"
  public static let serverVersion = "0.1.0"

  public init() {}

  static let implemented: [MethodDescriptor] = [
    Methods.ServerLive.descriptor, Methods.ServerReady.descriptor, Methods.ServerMetadata.descriptor,
  ]

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    UnimplementedService(
      methods: Methods.descriptors.filter { !Self.implemented.contains($0) },
      capability: "models are served once deployments exist (the serving issue)"
    ).registerMethods(with: &router)
    router.registerUnary(Methods.ServerLive.descriptor) { (_: Inference_ServerLiveRequest, _) in
      Inference_ServerLiveResponse.with { $0.live = true }
    }
    // The process only accepts calls once its storage is open, so answering means ready.
    router.registerUnary(Methods.ServerReady.descriptor) { (_: Inference_ServerReadyRequest, _) in
      Inference_ServerReadyResponse.with { $0.ready = true }
    }
    router.registerUnary(Methods.ServerMetadata.descriptor) { (_: Inference_ServerMetadataRequest, _) in
      Inference_ServerMetadataResponse.with {
        $0.name = Self.serverName
        $0.version = Self.serverVersion
      }
    }
  }
}
