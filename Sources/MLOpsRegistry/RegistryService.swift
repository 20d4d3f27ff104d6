import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops.registry.v1.RegistryService` on the wire: converts protobuf ⇄ domain and calls the
/// engine. The acting identity comes from the `x-mlops-actor` metadata the gateway sets.
/// Methods not built yet answer UNIMPLEMENTED naming what is missing.
public struct RegistryService: RegistrableRPCService {
  typealias Methods = Mlops_Registry_V1_RegistryService.Method
  let engine: RegistryEngine

  public init(engine: RegistryEngine) {
    self.engine = engine
  }

  static let implemented: [MethodDescriptor] = modelMethods + versionMethods + lifecycleMethods + artifactMethods + auditMethods

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    UnimplementedService(
      methods: Methods.descriptors.filter { !Self.implemented.contains($0) },
      capability: "searching models and versions arrives with the rest of issue #5"
    ).registerMethods(with: &router)
    registerModelMethods(with: &router)
    registerVersionMethods(with: &router)
    registerLifecycleMethods(with: &router)
    registerArtifactMethods(with: &router)
    registerAuditMethods(with: &router)
  }

  /// The caller's identity: the gateway sets it from the authenticated API key.
  static func actor(_ metadata: Metadata) -> String {
    for value in metadata[stringValues: "x-mlops-actor"] { return value }
    return ""
  }
}
