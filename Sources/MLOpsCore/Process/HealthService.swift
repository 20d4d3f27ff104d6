import GRPCCore
import Logging
import MLOpsProto

/// `grpc.health.v1.Health`, the standard protocol Kubernetes gRPC probes and
/// `grpc_health_probe` speak, answered from the process's ``HealthStatusStore``.
public struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
  let store: HealthStatusStore

  public init(store: HealthStatusStore) {
    self.store = store
  }

  public func check(
    request: Grpc_Health_V1_HealthCheckRequest,
    context: ServerContext
  ) async throws -> Grpc_Health_V1_HealthCheckResponse {
    try answer(request)
  }

  /// Check as a fast route: the store is read under a lock, nothing awaits.
  public func fastCheck(logger: Logger) -> FastUnaryRoute {
    .typed(Grpc_Health_V1_Health.Method.Check.descriptor, logger: logger) { request, _ in
      try answer(request)
    }
  }

  func answer(_ request: Grpc_Health_V1_HealthCheckRequest) throws -> Grpc_Health_V1_HealthCheckResponse {
    guard let status = store.status(of: request.service) else {
      throw RPCError(code: .notFound, message: "service: '\(request.service)' is not served here")
    }
    return .with { $0.status = Self.wire(status) }
  }

  public func watch(
    request: Grpc_Health_V1_HealthCheckRequest,
    response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
    context: ServerContext
  ) async throws {
    var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
    for await status in store.watch(request.service) {
      let wire = status.map(Self.wire) ?? .serviceUnknown
      if wire == last { continue }
      last = wire
      try await response.write(.with { $0.status = wire })
    }
  }

  static func wire(_ status: HealthStatusStore.Status) -> Grpc_Health_V1_HealthCheckResponse.ServingStatus {
    switch status {
    case .serving: .serving
    case .notServing: .notServing
    }
  }
}
