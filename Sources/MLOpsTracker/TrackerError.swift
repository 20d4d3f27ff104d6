import GRPCCore
import MLOpsProto

/// Every way a tracker call can fail, each mapped to its gRPC status with a message that names
/// the field or object, so clients in any language can react without parsing prose.
public enum TrackerError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case experimentNotFound(String)
  case experimentNameTaken(String)
  case storage(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .experimentNotFound: .notFound
    case .experimentNameTaken: .alreadyExists
    case .storage: .unavailable
    }
  }

  /// Machine-readable details: which field was wrong, and a stable reason.
  public var rpcErrorMetadata: Metadata {
    switch self {
    case .invalidArgument(let field, let reason):
      Mlops_Common_V1_ErrorDetails(reason: "INVALID_ARGUMENT", field: field, description: reason).metadata
    case .experimentNameTaken(let name):
      Mlops_Common_V1_ErrorDetails(
        reason: "EXPERIMENT_NAME_TAKEN", field: "name", description: "'\(name)' is taken"
      ).metadata
    case .experimentNotFound, .storage: [:]
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason): "\(field): \(reason)"
    case .experimentNotFound(let what): "experiment \(what) does not exist"
    case .experimentNameTaken(let name): "name: an experiment named '\(name)' already exists"
    case .storage(let reason): "storage unavailable: \(reason)"
    }
  }
}
