import GRPCCore
import GRPCNIOTransportHTTP2
import ServiceLifecycle

/// A long-lived client connection to a peer process, run as a lifecycle `Service` so its
/// connections open with the process and close after the server has drained: calls a service
/// makes to its peers during shutdown still complete.
public final class GRPCClientService: Service, Sendable {
  /// The client callers wrap in a generated stub or use for raw forwarding.
  public let client: GRPCClient<HTTP2ClientTransport.Posix>
  /// The peer's process name ("tracker") and address.
  public let name: String
  public let address: PeerAddress

  /// The peer's name and address, for error messages ("tracker at tracker.ml:7001").
  public var peer: String { "\(name) at \(address)" }

  /// Connects lazily to `address`; host names resolve through DNS, so Kubernetes service
  /// names work unchanged, and calls go round-robin over every address of every host given
  /// (see ``PeerResolverFactory``).
  public init(name: String, address: PeerAddress) throws {
    // Peers restart and start in any order: retry connecting quickly rather than backing off
    // for minutes, so the window in which calls fail fast stays short.
    var config = HTTP2ClientTransport.Posix.Config.defaults
    config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
    let transport = try HTTP2ClientTransport.Posix.peer(address, config: config)
    self.client = GRPCClient(transport: transport)
    self.name = name
    self.address = address
  }

  public func run() async throws {
    try await withGracefulShutdownHandler {
      try await client.runConnections()
    } onGracefulShutdown: {
      self.client.beginGracefulShutdown()
    }
  }
}
