import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Routes a process adds to its HTTP port beside `/metrics` and `/healthz` (the gateway's
/// MLflow REST front), registered once when the server starts.
public protocol HTTPRouteProvider: Sendable {
  /// Adds this provider's routes to `router`.
  func addRoutes(to router: Router<BasicRequestContext>)
}

/// The plain-HTTP side of a process (gRPC port + 1000): `/metrics` in Prometheus text format,
/// `/healthz` (200 while serving, 503 otherwise) and whatever ``HTTPRouteProvider``s add.
/// Plain HTTP because Prometheus scrapers, probes and REST clients do not speak gRPC; served
/// by Hummingbird, so HTTP/1's keep-alive, pipelining and body limits are a maintained
/// library's, not ours.
public final class HTTPStatusServer: Service, Sendable {
  let host: String
  let port: Int
  let registry: PrometheusCollectorRegistry
  let health: HealthStatusStore
  let routes: [any HTTPRouteProvider]
  let logger: Logger
  private let bound: BoundAddress

  /// - Parameter routes: more routes than `/metrics` and `/healthz`.
  public init(
    host: String, port: Int, registry: PrometheusCollectorRegistry, health: HealthStatusStore,
    routes: [any HTTPRouteProvider] = [], logger: Logger
  ) {
    self.host = host
    self.port = port
    self.registry = registry
    self.health = health
    self.routes = routes
    self.logger = logger
    self.bound = BoundAddress()
  }

  /// The port actually bound (differs from the requested one when that was 0).
  public func boundPort() async throws -> Int { try await bound.port() }

  public func run() async throws {
    let router = Router()
    addStatusRoutes(to: router)
    for provider in routes { provider.addRoutes(to: router) }
    let application = Application(
      router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
      onServerRunning: { [bound, logger, host, port] channel in
        bound.resolve(channel.localAddress?.port ?? port)
        logger.info("HTTP /metrics and /healthz listening", metadata: ["address": "\(host):\(bound.value ?? port)"])
      }, logger: logger)
    do {
      try await application.run()
    } catch  where bound.value == nil {
      let failure = StartupError(binding: error, host: host, port: port, what: "HTTP")
      bound.fail(failure)
      throw failure
    }
  }

  private func addStatusRoutes(to router: Router<BasicRequestContext>) {
    router.get("/metrics") { [registry] _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }
    router.get("/healthz") { [health] _, _ in
      let serving = health.status(of: "") == .serving
      return Response(
        status: serving ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: serving ? "SERVING\n" : "NOT_SERVING\n")))
    }
  }
}
