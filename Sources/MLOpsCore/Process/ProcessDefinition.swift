import GRPCCore
import Logging
import Prometheus
import ServiceLifecycle

/// What a process serves: its gRPC services, plus background services (peer connections,
/// workers) that start before the server and stop after it has drained.
public struct ProcessServices: Sendable {
  public var rpc: [any RegistrableRPCService]
  public var background: [any Service]
  /// Interceptors after the observability one (which counts and maps what they throw): the
  /// gateway's authentication.
  public var interceptors: [any ServerInterceptor]
  /// Hot unary reads the nghttp2 transport answers on its event loops (``FastUnaryRoute``);
  /// `rpc` serves the same methods on the ordinary path.
  public var fastRoutes: [FastUnaryRoute]
  /// Routes of the HTTP port beside `/metrics` and `/healthz` (the gateway's MLflow REST front).
  public var httpRoutes: [any HTTPRouteProvider]

  public init(
    rpc: [any RegistrableRPCService], background: [any Service] = [], interceptors: [any ServerInterceptor] = [],
    fastRoutes: [FastUnaryRoute] = [], httpRoutes: [any HTTPRouteProvider] = []
  ) {
    self.rpc = rpc
    self.background = background
    self.interceptors = interceptors
    self.fastRoutes = fastRoutes
    self.httpRoutes = httpRoutes
  }
}

/// What makes one platform process: its name, default port, schema, and the services it
/// builds on top of its storage. Each service library publishes one; the executable in
/// `services/<process>` only hands it to ``ProcessRuntime``.
public struct ProcessDefinition: Sendable {
  public var name: String
  public var defaultPort: Int
  public var migrations: [Migration]
  /// Fully qualified gRPC service names, reported by `grpc.health.v1.Health`.
  public var serviceNames: [String]
  /// Builds the services on the process's storage; `metrics` is the registry `/metrics`
  /// renders, where a service adds its own gauges.
  public var makeServices:
    @Sendable (_ storage: Storage, _ options: ProcessOptions, _ metrics: PrometheusCollectorRegistry, _ logger: Logger) async throws ->
      ProcessServices

  public init(
    name: String,
    defaultPort: Int,
    migrations: [Migration],
    serviceNames: [String],
    makeServices: @escaping @Sendable (Storage, ProcessOptions, PrometheusCollectorRegistry, Logger) async throws -> ProcessServices
  ) {
    self.name = name
    self.defaultPort = defaultPort
    self.migrations = migrations
    self.serviceNames = serviceNames
    self.makeServices = makeServices
  }
}
