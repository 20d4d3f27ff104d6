import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops.registry.v1.RegistryService` on the wire: converts protobuf ⇄ domain and calls the
/// engine. The acting identity comes from the `x-mlops-actor` metadata the gateway sets.
public struct RegistryService: RegistrableRPCService {
  typealias Methods = Mlops_Registry_V1_RegistryService.Method
  let engine: RegistryEngine

  public init(engine: RegistryEngine) {
    self.engine = engine
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    registerModelMethods(with: &router)
    registerVersionMethods(with: &router)
    registerLifecycleMethods(with: &router)
    registerArtifactMethods(with: &router)
    registerAuditMethods(with: &router)
  }

}
