import GRPCCore

/// Why storing or reading a blob failed, mapped to the status a client can act on: too big is
/// RESOURCE_EXHAUSTED, bytes that do not hash to what was promised or stored are DATA_LOSS
/// (never silently wrong bytes), a full disk is RESOURCE_EXHAUSTED, anything else INTERNAL.
public enum BlobError: Error, Equatable, RPCErrorConvertible {
  /// The upload passed `limit` bytes; `field` names what carried the size.
  case tooLarge(field: String, limit: Int64)
  /// The declared size and the bytes received differ.
  case sizeMismatch(field: String, declared: Int64, received: Int64)
  /// The bytes hash to `actual`, not the `expected` digest the client sent.
  case digestMismatch(field: String, expected: String, actual: String)
  /// A stored blob is missing, truncated, replaced by a link, or no longer hashes to its name.
  case corrupted(sha256: String, reason: String)
  /// The disk is full.
  case noSpace(String)
  /// Any other filesystem failure, with the operation and errno text.
  case io(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .tooLarge, .noSpace: .resourceExhausted
    case .sizeMismatch: .invalidArgument
    case .digestMismatch, .corrupted: .dataLoss
    case .io: .internalError
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .tooLarge(let field, let limit): "\(field): the upload exceeds the limit of \(limit) bytes"
    case .sizeMismatch(let field, let declared, let received):
      "\(field): declared \(declared) bytes but \(received) arrived"
    case .digestMismatch(let field, let expected, let actual):
      "\(field): the bytes hash to sha256 \(actual), not \(expected); nothing was stored"
    case .corrupted(let sha256, let reason): "stored blob sha256 \(sha256) is corrupted: \(reason)"
    case .noSpace(let what): "no space left on the artifact volume while \(what)"
    case .io(let what): "artifact storage failed: \(what)"
    }
  }

  public var rpcErrorMetadata: Metadata { [:] }
}
