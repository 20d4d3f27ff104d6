import GRPCCore

/// A unary method answered on the connection's event loop, without entering an async task or
/// GRPCCore: request bytes and metadata in, response bytes or an error out, or `deferred` to
/// send this call down the ordinary path (state not in the snapshot yet, e.g. a feature view
/// this replica has not loaded). For hot reads whose state is a snapshot that needs no await;
/// the handler must not block. No interceptor runs: register only methods that need none.
public struct FastUnaryRoute: Sendable {
  /// What a fast route made of one call.
  public enum Outcome: Sendable {
    case answered([UInt8])
    case failed(RPCError)
    /// Not answerable here: the call goes through GRPCCore like any other.
    case deferred
  }

  /// The method served, matched on the request's `:path`.
  public let method: MethodDescriptor
  /// Answers one call.
  public let handle: @Sendable (_ request: [UInt8], _ metadata: Metadata) -> Outcome

  public init(method: MethodDescriptor, handle: @escaping @Sendable (_ request: [UInt8], _ metadata: Metadata) -> Outcome) {
    self.method = method
    self.handle = handle
  }
}
