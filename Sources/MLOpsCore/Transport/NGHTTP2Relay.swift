import Foundation
import GRPCCore
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Unary calls to one peer over nghttp2 client connections that live on the caller's own
/// event loop: a fast route (the gateway relaying a call) sends on a connection of the loop
/// it runs on and is answered there, with no task and no thread hop. One connection per
/// address of the peer (every address of every host, as ``PeerResolverFactory`` gives the
/// ordinary client) per loop, calls spread round-robin over the ones that are up.
///
/// Only the happy path lives here: while a loop has no open connection yet, or the peer is
/// down, ``sender(on:)`` answers nil and the caller takes the ordinary path (grpc-swift's
/// client with its back-off, passive health and error messages); a connection is opened in
/// the background meanwhile.
public final class NGHTTP2Relay: Service, Sendable {
  /// The answer of one relayed call.
  public typealias Outcome = Result<(message: [UInt8], trailers: Metadata), RPCError>

  /// An open connection of one event loop, taken for one call.
  public struct Sender {
    let connection: NIOLoopBound<NGHTTP2ClientConnection>

    /// Sends the call; `completion` runs on the same loop with the peer's answer, or with
    /// DEADLINE_EXCEEDED once `timeout` has passed (the peer gets it as `grpc-timeout`).
    /// Returns what cancels it.
    @discardableResult
    public func send(
      path: String, metadata: Metadata, message: [UInt8], timeout: Duration?, completion: @escaping (Outcome) -> Void
    ) -> Call {
      Call(
        connection: connection,
        id: connection.value.submit(path: path, metadata: metadata, message: message, timeout: timeout, completion: completion))
    }
  }

  /// One call sent through a ``Sender``.
  public struct Call {
    let connection: NIOLoopBound<NGHTTP2ClientConnection>
    let id: Int32?

    /// Resets the call's stream at the peer (its handler is cancelled) and completes it as
    /// CANCELLED, unless it has completed already. Call it on the sender's event loop.
    public func cancel() {
      guard let id else { return }
      connection.value.cancel(id)
    }
  }

  /// The peer: every `host:port` it was given.
  public let address: PeerAddress
  let maxMessageBytes: Int
  let connectTimeout: Duration
  private let state: Mutex<RelayState>

  /// - Parameters:
  ///   - maxMessageBytes: the largest answer accepted.
  ///   - connectTimeout: how long a connection attempt may take (a peer whose SYNs vanish).
  public init(address: PeerAddress, maxMessageBytes: Int, connectTimeout: Duration = .seconds(2)) {
    self.address = address
    self.maxMessageBytes = maxMessageBytes
    self.connectTimeout = connectTimeout
    // Addresses given as IP literals need no DNS: known at once.
    let literal = address.hosts.compactMap { try? SocketAddress(ipAddress: $0.host, port: $0.port) }
    state = Mutex(RelayState(addresses: literal.count == address.hosts.count ? literal : []))
  }

  /// An open connection of the current event loop (`loop` must be it), or nil — and one is
  /// being opened — when it has none.
  public func sender(on loop: any EventLoop) -> Sender? {
    guard loop.inEventLoop else { return nil }
    let (chosen, complete) = state.withLock { $0.pick(loop: ObjectIdentifier(loop), now: .now()) }
    if !complete { open(on: loop) }
    return chosen.map(Sender.init)
  }

  /// How many connections are open, over all event loops.
  public var openConnections: Int {
    state.withLock { $0.pools.values.reduce(0) { $0 + $1.ready.count } }
  }

  /// Connects to every address this loop has no connection to and may try again now.
  private func open(on loop: any EventLoop) {
    let key = ObjectIdentifier(loop)
    let (targets, resolve) = state.withLock { $0.claim(loop: key, now: .now()) }
    if resolve { self.resolve() }
    for target in targets { connect(target, on: loop) }
  }

  private func connect(_ target: SocketAddress, on loop: any EventLoop) {
    let key = ObjectIdentifier(loop)
    let authority = "\(address.host):\(address.port)"
    let maxMessageBytes = self.maxMessageBytes
    ClientBootstrap(group: loop)
      .connectTimeout(TimeAmount(connectTimeout))
      .channelOption(.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NGHTTP2ClientConnection(authority: authority, maxMessageBytes: maxMessageBytes))
        }
      }
      .connect(to: target)
      .whenComplete { [self] result in
        guard case .success(let channel) = result,
          let connection = try? channel.pipeline.syncOperations.handler(type: NGHTTP2ClientConnection.self)
        else {
          state.withLock { $0.failed(loop: key, address: target, now: .now()) }
          return
        }
        let id = ObjectIdentifier(connection)
        connection.onUnusable = { [weak self] in self?.state.withLock { $0.lost(loop: key, connection: id, address: target, now: .now()) } }
        let kept = state.withLock { $0.opened(loop: key, address: target, connection: NIOLoopBound(connection, eventLoop: loop), id: id) }
        if !kept { connection.close() }
      }
  }

  /// Looks the peer's hosts up in the background (DNS may block); the next call that finds
  /// no connection uses what it found.
  private func resolve() {
    let hosts = address.hosts
    Task.detached { [self] in
      let found = hosts.flatMap { NGHTTP2Relay.lookup(host: $0.host, port: $0.port) }
      self.state.withLock { $0.resolved(found, now: .now()) }
    }
  }

  /// Every address `host` resolves to (IPv4 and IPv6, each once).
  static func lookup(host: String, port: Int) -> [SocketAddress] {
    if let literal = try? SocketAddress(ipAddress: host, port: port) { return [literal] }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0 else { return [] }
    defer { freeaddrinfo(list) }
    var found: [SocketAddress] = []
    var entry = list
    while let info = entry?.pointee {
      if let address = info.ai_addr.flatMap({ socketAddress($0, host: host) }), !found.contains(address) {
        found.append(address)
      }
      entry = info.ai_next
    }
    return found
  }

  private static func socketAddress(_ raw: UnsafeMutablePointer<sockaddr>, host: String) -> SocketAddress? {
    switch Int32(raw.pointee.sa_family) {
    case AF_INET: raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
    case AF_INET6: raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) }
    default: nil
    }
  }

  /// Waits for the process's graceful shutdown, then stops taking calls and closes each
  /// connection once its calls are answered.
  public func run() async throws {
    try? await gracefulShutdown()
    for connection in state.withLock({ $0.close() }) {
      connection.eventLoop.execute { connection.value.drain() }
    }
  }
}
