import GRPCCore
import NIOCore
import NIOPosix
import Synchronization

/// grpc-swift-2's `ServerTransport` on libnghttp2 (issue #27): NIO accepts and reads on one
/// event loop per core, nghttp2 does HTTP/2, and each request becomes an `RPCStream` that
/// GRPCCore runs through the interceptors and services exactly as on the NIO transport.
/// ``FastUnaryRoute``s are answered on the event loop without entering GRPCCore.
public final class NGHTTP2ServerTransport: ServerTransport {
  public typealias Bytes = [UInt8]

  /// A stream handed from an event loop to the listen task.
  struct Accepted: Sendable {
    let stream: RPCStream<Inbound, Outbound>
    let remotePeer: String
    let localPeer: String
    let control: NGHTTP2StreamControl
  }

  private struct State {
    var descriptors: [String: MethodDescriptor] = [:]
    var listener: (any Channel)?
    var connections: [ObjectIdentifier: NIOLoopBound<NGHTTP2Connection>] = [:]
    var draining = false
    var acceptedFinished = false
  }

  let host: String
  let port: Int
  let threads: Int
  let maxMessageBytes: Int
  /// Fast routes by request `:path` (`/package.Service/Method`).
  let fastRoutes: [String: FastUnaryRoute]
  private let state = Mutex(State())
  private let accepted = AsyncStream.makeStream(of: Accepted.self)
  private let bound = BoundAddress()

  /// - Parameters:
  ///   - threads: event loops (one per core by default).
  ///   - fastRoutes: unary methods answered on the event loop.
  public init(
    host: String, port: Int, threads: Int = System.coreCount, maxMessageBytes: Int, fastRoutes: [FastUnaryRoute] = []
  ) {
    self.host = host
    self.port = port
    self.threads = threads
    self.maxMessageBytes = maxMessageBytes
    self.fastRoutes = Dictionary(fastRoutes.map { ("/" + $0.method.fullyQualifiedMethod, $0) }, uniquingKeysWith: { $1 })
  }

  /// Keeps the registered methods' descriptors by path: they carry each method's RPC type,
  /// which the interceptors read from the call's context, as on the NIO transport.
  public func configure(context: GRPCServerContext) {
    let byPath = Dictionary(context.methods.map { ("/" + $0.fullyQualifiedMethod, $0) }, uniquingKeysWith: { first, _ in first })
    state.withLock { $0.descriptors = byPath }
  }

  /// The registered methods by `:path` (read once per connection).
  var descriptorsByPath: [String: MethodDescriptor] { state.withLock { $0.descriptors } }

  /// The port bound, once listening (differs from `port` when that was 0).
  public func boundPort() async throws -> Int { try await bound.port() }

  public func listen(
    streamHandler: @escaping @Sendable (RPCStream<Inbound, Outbound>, ServerContext) async -> Void
  ) async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    do {
      let listener = try await bind(group)
      let draining = state.withLock { state in
        state.listener = listener
        return state.draining
      }
      if draining { try? await listener.close() }
      bound.resolve(listener.localAddress?.port ?? port)
      await withTaskCancellationHandler {
        await withDiscardingTaskGroup { tasks in
          for await rpc in accepted.stream {
            tasks.addTask { await Self.run(rpc, streamHandler) }
          }
        }
      } onCancel: {
        self.closeEverything()
      }
    } catch {
      bound.fail(error)
      try? await group.shutdownGracefully()
      throw error
    }
    try? await group.shutdownGracefully()
  }

  private func bind(_ group: MultiThreadedEventLoopGroup) async throws -> any Channel {
    try await ServerBootstrap(group: group)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(NGHTTP2Connection(transport: self))
        }
      }
      .bind(host: host, port: port).get()
  }

  private static func run(
    _ rpc: Accepted, _ handler: @Sendable (RPCStream<Inbound, Outbound>, ServerContext) async -> Void
  ) async {
    await withServerContextRPCCancellationHandle { handle in
      rpc.control.attach(handle)
      let context = ServerContext(
        descriptor: rpc.stream.descriptor, remotePeer: rpc.remotePeer, localPeer: rpc.localPeer, cancellation: handle)
      await handler(rpc.stream, context)
    }
  }

  /// Stops accepting connections and sends every connection GOAWAY; `listen` returns once the
  /// calls in flight are done and their connections closed.
  public func beginGracefulShutdown() {
    stopAccepting { $0.drain() }
    finishIfDrained()
  }

  /// Marks the transport draining, closes the listener and applies `action` to every
  /// connection on its own event loop.
  private func stopAccepting(_ action: @escaping @Sendable (NGHTTP2Connection) -> Void) {
    let (listener, connections) = state.withLock { state in
      state.draining = true
      return (state.listener, Array(state.connections.values))
    }
    listener?.close(promise: nil)
    for connection in connections { connection.eventLoop.execute { action(connection.value) } }
  }

  /// Called by a connection's handler when it is added (event loop).
  func register(_ connection: NIOLoopBound<NGHTTP2Connection>) {
    let draining = state.withLock { state in
      state.connections[ObjectIdentifier(connection.value)] = connection
      return state.draining
    }
    if draining { connection.value.drain() }
  }

  /// Called by a connection's handler when it is removed (event loop).
  func unregister(_ id: ObjectIdentifier) {
    state.withLock { _ = $0.connections.removeValue(forKey: id) }
    finishIfDrained()
  }

  /// A stream for GRPCCore (event loop).
  func accept(_ rpc: Accepted) {
    accepted.continuation.yield(rpc)
  }

  private func finishIfDrained() {
    let finish = state.withLock { state in
      guard state.draining, state.connections.isEmpty, !state.acceptedFinished else { return false }
      state.acceptedFinished = true
      return true
    }
    if finish { accepted.continuation.finish() }
  }

  private func closeEverything() {
    stopAccepting { $0.close() }
    accepted.continuation.finish()
  }
}
