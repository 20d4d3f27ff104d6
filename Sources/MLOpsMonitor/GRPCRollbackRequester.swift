import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto

/// Rollback as an alert action: one `InferenceRouterService.Rollback` call to the address the
/// monitor's action names (a connection per alert: rare, and each may name another router).
public struct GRPCRollbackRequester: RollbackRequester {
  public init() {}

  public func rollback(routerAddress: String, deployment: String, reason: String) async throws {
    guard let address = PeerAddress(argument: routerAddress) else {
      throw MonitorError.invalidArgument(field: "rollback.router_address", reason: "must be host:port")
    }
    let transport = try HTTP2ClientTransport.Posix.peer(address)
    try await withGRPCClient(transport: transport) { client in
      let router = Mlops_Serving_V1_InferenceRouterService.Client(wrapping: client)
      _ = try await router.rollback(
        .with {
          $0.deployment = deployment
          $0.reason = reason
        },
        options: {
          var o = CallOptions.defaults
          o.timeout = .seconds(10)
          return o
        }())
    }
  }
}
