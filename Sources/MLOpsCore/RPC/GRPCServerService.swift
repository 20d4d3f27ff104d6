import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// Runs a `GRPCServer` as a swift-service-lifecycle `Service`: serving flips health to
/// SERVING once the port is bound; graceful shutdown flips it to NOT_SERVING, ends health
/// watches, stops accepting calls and returns once in-flight calls have completed.
public final class GRPCServerService: Service, Sendable {
  /// The server on the transport chosen (``WireTransport``).
  enum Server: Sendable {
    case nio(GRPCServer<HTTP2ServerTransport.Posix>, HTTP2ServerTransport.Posix)
    case nghttp2(GRPCServer<NGHTTP2ServerTransport>, NGHTTP2ServerTransport)
  }

  let server: Server
  let health: HealthStatusStore
  let cancellation: RPCCancellation
  let logger: Logger
  let host: String
  let port: Int
  private let bound = BoundAddress()

  /// The largest message a process accepts, and the gateway relays in either direction.
  public static let maxPayloadBytes = 64 * 1024 * 1024

  /// - Parameters:
  ///   - services: the process's services; health and the interceptor are added by the caller.
  ///   - fastRoutes: unary methods answered on the event loop (nghttp2 transport only; on NIO the
  ///     same methods are served by `services`).
  public init(
    host: String,
    port: Int,
    transport: WireTransport = .standard,
    services: [any RegistrableRPCService],
    interceptors: [any ServerInterceptor],
    fastRoutes: [FastUnaryRoute] = [],
    health: HealthStatusStore,
    cancellation: RPCCancellation = RPCCancellation(),
    logger: Logger
  ) {
    switch transport {
    case .nio: self.server = Self.nio(host: host, port: port, services: services, interceptors: interceptors)
    case .nghttp2:
      let transport = NGHTTP2ServerTransport(host: host, port: port, maxMessageBytes: Self.maxPayloadBytes, fastRoutes: fastRoutes)
      self.server = .nghttp2(GRPCServer(transport: transport, services: services, interceptors: interceptors), transport)
    }
    self.health = health
    self.cancellation = cancellation
    self.logger = logger
    self.host = host
    self.port = port
  }

  private static func nio(
    host: String, port: Int, services: [any RegistrableRPCService], interceptors: [any ServerInterceptor]
  ) -> Server {
    let address: GRPCNIOTransportCore.SocketAddress =
      host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
    var config = HTTP2ServerTransport.Posix.Config.defaults
    config.rpc.maxRequestPayloadSize = Self.maxPayloadBytes
    // HTTP/2's default 64 KiB window made a client streaming a large upload stop for a
    // WINDOW_UPDATE every 32–64 KiB (registry uploads ran at half the rate). 8 MiB is what
    // grpc-swift's own clients advertise; frames stay at 16 KiB.
    config.http2.targetWindowSize = 8 << 20
    config.channelDebuggingCallbacks.onAcceptHTTP2Stream = GRPCTimeoutGuard.install
    let transport = HTTP2ServerTransport.Posix(
      address: address, transportSecurity: .plaintext, config: config)
    return .nio(GRPCServer(transport: transport, services: services, interceptors: interceptors), transport)
  }

  /// The gRPC port actually bound (differs from the requested one when that was 0).
  public func boundPort() async throws -> Int { try await bound.port() }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await self.serve() }
        group.addTask { await self.markServingOnceBound() }
      }
    } onGracefulShutdown: {
      self.logger.info("graceful shutdown: draining in-flight calls")
      self.health.setAll(.notServing)
      self.cancellation.beginDraining()
      self.health.finishWatchers()
      switch self.server {
      case .nio(let server, _): server.beginGracefulShutdown()
      case .nghttp2(let server, _): server.beginGracefulShutdown()
      }
    }
  }

  private func serve() async throws {
    do {
      switch server {
      case .nio(let server, _): try await server.serve()
      case .nghttp2(let server, _): try await server.serve()
      }
    } catch {
      let cause = (error as? RuntimeError)?.cause ?? error
      let failure = StartupError(binding: cause, host: host, port: port, what: "gRPC")
      bound.fail(failure)
      throw failure
    }
  }

  private var transportName: String {
    switch server {
    case .nio: WireTransport.nio.rawValue
    case .nghttp2: WireTransport.nghttp2.rawValue
    }
  }

  private func markServingOnceBound() async {
    let port: Int
    switch server {
    case .nio(_, let transport):
      guard let address = try? await transport.listeningAddress else { return }
      port = address.ipv4?.port ?? address.ipv6?.port ?? self.port
    case .nghttp2(_, let transport):
      guard let bound = try? await transport.boundPort() else { return }
      port = bound
    }
    bound.resolve(port)
    health.setAll(.serving)
    logger.info("gRPC listening", metadata: ["address": "\(host):\(port)", "transport": "\(transportName)"])
  }
}
