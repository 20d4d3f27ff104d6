import GRPCCore
import NIOCore

/// A unary method answered on the connection's event loop, without entering an async task or
/// GRPCCore: request bytes and metadata in, response bytes or an error out, or `deferred` to
/// send this call down the ordinary path (state not in the snapshot yet, e.g. a feature view
/// this replica has not loaded). For hot reads whose state is a snapshot that needs no await;
/// the handler must not block. A handler that waits on something driven by callbacks (the
/// gateway relaying to a peer over its own event-loop connection) answers `pending` and
/// answers later through the call's ``Responder``. No interceptor runs: register only methods
/// that need none.
public struct FastUnaryRoute: Sendable {
  /// What a fast route made of one call.
  public enum Outcome: Sendable {
    case answered([UInt8])
    case failed(RPCError)
    /// Not answerable here: the call goes through GRPCCore like any other.
    case deferred
    /// The answer comes later, exactly once, through the call's ``Responder``.
    case pending
  }

  /// How a `pending` call is answered, from any thread; an answer for a call the client has
  /// cancelled since is dropped.
  public struct Responder: Sendable {
    /// The event loop of the caller's connection: answering on it costs no thread hop.
    public let eventLoop: any EventLoop
    let deliver: @Sendable (Result<(message: [UInt8], trailers: Metadata), RPCError>) -> Void
    let cancellation: @Sendable (@escaping () -> Void) -> Void

    /// - Parameters:
    ///   - deliver: writes the answer; called once.
    ///   - cancellation: keeps a closure to run if the client cancels before the answer (runs
    ///     it at once when the call is already gone); by default it is never run.
    public init(
      eventLoop: any EventLoop, deliver: @escaping @Sendable (Result<(message: [UInt8], trailers: Metadata), RPCError>) -> Void,
      cancellation: @escaping @Sendable (@escaping () -> Void) -> Void = { _ in }
    ) {
      self.eventLoop = eventLoop
      self.deliver = deliver
      self.cancellation = cancellation
    }

    /// Runs `body` on ``eventLoop`` if the client cancels the call before it is answered, so
    /// work done for it elsewhere (an upstream call) stops too. Call it on ``eventLoop``.
    public func onCancel(_ body: @escaping () -> Void) { cancellation(body) }

    /// Answers with one message and status OK, with `trailers` beside the status.
    public func answer(_ message: [UInt8], trailers: Metadata = [:]) { deliver(.success((message, trailers))) }

    /// Answers with `error`'s status, message and metadata.
    public func fail(_ error: RPCError) { deliver(.failure(error)) }
  }

  /// The method served, matched on the request's `:path`.
  public let method: MethodDescriptor
  /// Answers one call.
  public let handle: @Sendable (_ request: [UInt8], _ metadata: Metadata, _ responder: Responder) -> Outcome

  public init(
    method: MethodDescriptor, handle: @escaping @Sendable (_ request: [UInt8], _ metadata: Metadata, _ responder: Responder) -> Outcome
  ) {
    self.method = method
    self.handle = handle
  }
}
