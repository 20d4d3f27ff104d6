import GRPCCore

extension RPCError {
  /// Whether the failure says the peer could not answer (down, too slow, or broken) rather
  /// than refusing the request: callers report the first as UNAVAILABLE naming the peer and
  /// relay the second as the peer's own answer.
  public var isPeerFailure: Bool {
    [.unavailable, .deadlineExceeded, .cancelled, .internalError, .unknown].contains(code)
  }
}
