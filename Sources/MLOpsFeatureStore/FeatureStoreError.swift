import GRPCCore
import MLOpsCore
import MLOpsProto

/// Every way a feature store call fails, each with its gRPC status and a message naming the
/// field (and, for data, the row and column).
public enum FeatureStoreError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case notFound(field: String, reason: String)
  case failedPrecondition(field: String, reason: String)
  case tooLarge(field: String, limit: Int)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .notFound: .notFound
    case .failedPrecondition: .failedPrecondition
    case .tooLarge: .resourceExhausted
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason), .notFound(let field, let reason), .failedPrecondition(let field, let reason):
      "\(field): \(reason)"
    case .tooLarge(let field, let limit): "\(field): more than \(limit) in one call"
    }
  }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .invalidArgument(let field, let reason), .notFound(let field, let reason), .failedPrecondition(let field, let reason):
      Mlops_Common_V1_ErrorDetails(reason: reasonName, field: field, description: reason).metadata
    case .tooLarge(let field, _):
      Mlops_Common_V1_ErrorDetails(reason: "RESOURCE_EXHAUSTED", field: field, description: rpcErrorMessage).metadata
    }
  }

  var reasonName: String {
    switch self {
    case .invalidArgument: "INVALID_ARGUMENT"
    case .notFound: "NOT_FOUND"
    case .failedPrecondition: "FAILED_PRECONDITION"
    case .tooLarge: "RESOURCE_EXHAUSTED"
    }
  }

  /// The prefix of the message that names the field, for prefixing nested fields.
  func within(_ prefix: String) -> FeatureStoreError {
    switch self {
    case .invalidArgument(let field, let reason): .invalidArgument(field: prefix + field, reason: reason)
    case .notFound(let field, let reason): .notFound(field: prefix + field, reason: reason)
    case .failedPrecondition(let field, let reason): .failedPrecondition(field: prefix + field, reason: reason)
    case .tooLarge(let field, let limit): .tooLarge(field: prefix + field, limit: limit)
    }
  }
}
