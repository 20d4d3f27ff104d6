import GRPCCore

/// A unary method answered on the connection's event loop, without entering an async task or
/// GRPCCore: request bytes and metadata in, response bytes or an error out. For hot reads whose
/// state is a snapshot that needs no await (health, alias lookups, online features); the
/// handler must not block, and records its own metrics.
public struct FastUnaryRoute: Sendable {
  /// The method served, matched on the request's `:path`.
  public let method: MethodDescriptor
  /// Answers one call; an `RPCError` becomes the call's status.
  public let handle: @Sendable (_ request: [UInt8], _ metadata: Metadata) -> Result<[UInt8], RPCError>

  public init(
    method: MethodDescriptor,
    handle: @escaping @Sendable (_ request: [UInt8], _ metadata: Metadata) -> Result<[UInt8], RPCError>
  ) {
    self.method = method
    self.handle = handle
  }
}
