import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// Runs a `GRPCServer` as a swift-service-lifecycle `Service`: serving flips health to
/// SERVING once the port is bound; graceful shutdown flips it to NOT_SERVING, ends health
/// watches, stops accepting calls and returns once in-flight calls have completed.
public final class GRPCServerService: Service, Sendable {
  let server: GRPCServer<HTTP2ServerTransport.Posix>
  let transport: HTTP2ServerTransport.Posix
  let health: HealthStatusStore
  let logger: Logger
  let host: String
  let port: Int
  private let bound = BoundAddress()

  /// The largest message a process accepts, and the gateway relays in either direction.
  public static let maxPayloadBytes = 64 * 1024 * 1024

  /// - Parameters:
  ///   - services: the process's services; health and the interceptor are added by the caller.
  public init(
    host: String,
    port: Int,
    services: [any RegistrableRPCService],
    interceptors: [any ServerInterceptor],
    health: HealthStatusStore,
    logger: Logger
  ) {
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
    self.transport = transport
    self.server = GRPCServer(transport: transport, services: services, interceptors: interceptors)
    self.health = health
    self.logger = logger
    self.host = host
    self.port = port
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
      self.health.finishWatchers()
      self.server.beginGracefulShutdown()
    }
  }

  private func serve() async throws {
    do {
      try await server.serve()
    } catch {
      let cause = (error as? RuntimeError)?.cause ?? error
      let failure = StartupError(binding: cause, host: host, port: port, what: "gRPC")
      bound.fail(failure)
      throw failure
    }
  }

  private func markServingOnceBound() async {
    guard let address = try? await transport.listeningAddress else { return }
    let port = address.ipv4?.port ?? address.ipv6?.port ?? port
    bound.resolve(port)
    health.setAll(.serving)
    logger.info("gRPC listening", metadata: ["address": "\(host):\(port)"])
  }
}
