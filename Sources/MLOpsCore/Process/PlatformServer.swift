import Foundation
import GRPCCore
import Logging
import ServiceLifecycle
import UnixSignals

/// Everything a process serves, wired the same way in every process: its gRPC services plus
/// `grpc.health.v1.Health` behind the observability interceptor, and the HTTP `/metrics` and
/// `/healthz` listener, run as one `ServiceGroup` that drains on SIGTERM/SIGINT.
public final class PlatformServer: Sendable {
  public let grpc: GRPCServerService
  public let http: HTTPStatusServer
  public let health: HealthStatusStore
  public let metrics: RPCMetrics
  let group: ServiceGroup

  /// - Parameters:
  ///   - serviceNames: fully qualified names of `services`, reported by the health service.
  ///   - transport: the HTTP/2 implementation of the gRPC port.
  ///   - interceptors: run after the observability interceptor, on every call.
  ///   - fastRoutes: unary methods the nghttp2 transport answers on its event loops.
  ///   - httpRoutes: routes the HTTP port serves beside `/metrics` and `/healthz`.
  ///   - background: services that must outlive the server's drain (peer clients).
  ///   - parentPID: when set, the process stops once that parent (its launcher) is gone.
  ///   - signals: the signals that start a graceful shutdown; tests pass none and call
  ///     ``shutdown()``.
  public init(
    host: String,
    grpcPort: Int,
    httpPort: Int,
    transport: WireTransport = .standard,
    services: [any RegistrableRPCService],
    serviceNames: [String],
    interceptors: [any ServerInterceptor] = [],
    fastRoutes: [FastUnaryRoute] = [],
    httpRoutes: [any HTTPRouteProvider] = [],
    background: [any Service] = [],
    parentPID: Int32? = nil,
    signals: [UnixSignal] = [.sigterm, .sigint],
    shutdownGrace: Duration = .seconds(10),
    metrics: RPCMetrics = RPCMetrics(),
    logger: Logger
  ) {
    let health = HealthStatusStore(services: serviceNames + ["grpc.health.v1.Health"])
    Self.registerProcessGauges(metrics: metrics, serviceNames: serviceNames)
    let cancellation = RPCCancellation()
    let interceptor = ObservabilityInterceptor(metrics: metrics, logger: logger, cancellation: cancellation)
    self.health = health
    self.metrics = metrics
    let healthService = HealthService(store: health)
    self.grpc = GRPCServerService(
      host: host, port: grpcPort, transport: transport, services: services + [healthService],
      interceptors: [interceptor] + interceptors,
      fastRoutes: (fastRoutes + [healthService.fastCheck(logger: logger)]).map { $0.metered(by: metrics) },
      health: health, cancellation: cancellation, logger: logger)
    self.http = HTTPStatusServer(
      host: host, port: httpPort, registry: metrics.registry, health: health, routes: httpRoutes, logger: logger)
    // Shutdown runs in reverse: the gRPC server drains first, background services go last.
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = background.map { .init(service: $0) }
    services.append(.init(service: http))
    services.append(.init(service: grpc, successTerminationBehavior: .gracefullyShutdownGroup))
    if let parentPID {
      let watch = ParentWatch(parent: parentPID, logger: logger)
      services.append(.init(service: watch, successTerminationBehavior: .gracefullyShutdownGroup))
    }
    var configuration = ServiceGroupConfiguration(
      services: services,
      gracefulShutdownSignals: signals,
      logger: logger)
    configuration.maximumGracefulShutdownDuration = shutdownGrace
    configuration.maximumCancellationDuration = .seconds(5)
    self.group = ServiceGroup(configuration: configuration)
  }

  /// Gauges every process exports from its first scrape: when it started (restarts show up
  /// as jumps) and which services it serves.
  static func registerProcessGauges(metrics: RPCMetrics, serviceNames: [String]) {
    metrics.registry.makeGauge(
      descriptor: .init(
        metricName: "process_start_time", unitName: "seconds",
        helpText: "Start time of the process since the Unix epoch, in seconds.")
    ).set(Self.epochSeconds())
    for name in serviceNames {
      metrics.registry.makeGauge(
        descriptor: .init(metricName: "mlops_service_info", unitName: "", helpText: "1 for each gRPC service this process serves."),
        labels: [("grpc_service", name)]
      ).set(1.0)
    }
  }

  private static func epochSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
  }

  /// Serves until shut down by a signal or ``shutdown()``; rethrows a start-up failure.
  public func run() async throws {
    try await group.run()
  }

  /// Starts a graceful shutdown: health goes NOT_SERVING, in-flight calls complete.
  public func shutdown() async {
    await group.triggerGracefulShutdown()
  }
}
