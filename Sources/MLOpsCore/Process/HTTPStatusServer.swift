import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// The plain-HTTP side of a process (gRPC port + 1000): `/metrics` in Prometheus text format
/// and `/healthz` (200 while serving, 503 otherwise). Plain HTTP because Prometheus scrapers
/// and simple probes do not speak gRPC.
public final class HTTPStatusServer: Service, Sendable {
  let host: String
  let port: Int
  let registry: PrometheusCollectorRegistry
  let health: HealthStatusStore
  let logger: Logger
  private let bound: BoundAddress

  public init(
    host: String, port: Int, registry: PrometheusCollectorRegistry, health: HealthStatusStore,
    logger: Logger
  ) {
    self.host = host
    self.port = port
    self.registry = registry
    self.health = health
    self.logger = logger
    self.bound = BoundAddress()
  }

  /// The port actually bound (differs from the requested one when that was 0).
  public func boundPort() async throws -> Int { try await bound.port() }

  public func run() async throws {
    let channel: any Channel
    do {
      channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { [registry, health] channel in
          channel.pipeline.configureHTTPServerPipeline().flatMap {
            channel.pipeline.addHandler(StatusHandler(registry: registry, health: health))
          }
        }
        .bind(host: host, port: port)
        .get()
    } catch {
      let failure = StartupError(binding: error, host: host, port: port, what: "HTTP")
      bound.fail(failure)
      throw failure
    }
    bound.resolve(channel.localAddress?.port ?? port)
    logger.info("HTTP /metrics and /healthz listening", metadata: ["address": "\(host):\(bound.value ?? port)"])
    await withGracefulShutdownHandler {
      try? await channel.closeFuture.get()
    } onGracefulShutdown: {
      channel.close(promise: nil)
    }
  }

}

/// Answers one HTTP/1 request at a time on a connection.
private final class StatusHandler: ChannelInboundHandler, @unchecked Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let registry: PrometheusCollectorRegistry
  let health: HealthStatusStore
  private var head: HTTPRequestHead?

  init(registry: PrometheusCollectorRegistry, health: HealthStatusStore) {
    self.registry = registry
    self.health = health
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let head): self.head = head
    case .body: break
    case .end:
      guard let head else { return }
      self.head = nil
      respond(to: head, context: context)
    }
  }

  private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
    let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
    var status = HTTPResponseStatus.ok
    var contentType = "text/plain; charset=utf-8"
    var body: [UInt8]
    switch (head.method, path) {
    case (.GET, "/metrics"):
      contentType = "text/plain; version=0.0.4; charset=utf-8"
      body = registry.emitToBuffer()
    case (.GET, "/healthz"):
      let serving = health.status(of: "") == .serving
      status = serving ? .ok : .serviceUnavailable
      body = Array((serving ? "SERVING\n" : "NOT_SERVING\n").utf8)
    default:
      status = .notFound
      body = Array("not found: \(path) (try /metrics or /healthz)\n".utf8)
    }
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Content-Length", value: "\(body.count)")
    if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
    let keepAlive = head.isKeepAlive
    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [context] _ in
      if !keepAlive { context.close(promise: nil) }
    }
  }
}
