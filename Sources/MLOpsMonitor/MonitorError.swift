import GRPCCore
import MLOpsCore
import MLOpsProto

/// Every way a monitor call fails, each with its gRPC status and a message naming the field.
public enum MonitorError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case monitorNotFound(String)
  case reportNotFound(String)
  case alertNotFound(String)
  case profileNotFound(String)
  case windowNotFound(String)
  case monitorNameTaken(String)
  case failedPrecondition(field: String, reason: String)
  case tooManyRecords(field: String, limit: Int)
  /// Stored state that cannot be read back (a corrupted profile): DATA_LOSS, never a guess.
  case dataLoss(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .monitorNotFound, .reportNotFound, .alertNotFound, .profileNotFound, .windowNotFound: .notFound
    case .monitorNameTaken: .alreadyExists
    case .failedPrecondition: .failedPrecondition
    case .tooManyRecords: .resourceExhausted
    case .dataLoss: .dataLoss
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason), .failedPrecondition(let field, let reason): "\(field): \(reason)"
    case .monitorNotFound(let name): "monitor: monitor '\(name)' does not exist"
    case .reportNotFound(let id): "report_id: drift report '\(id)' does not exist"
    case .alertNotFound(let id): "alert_id: alert '\(id)' does not exist"
    case .profileNotFound(let id): "header.profile_id: reference profile '\(id)' does not exist"
    case .windowNotFound(let id): "window_id: window '\(id)' does not exist or is still open"
    case .monitorNameTaken(let name): "monitor.name: a monitor named '\(name)' already exists"
    case .tooManyRecords(let field, let limit): "\(field): more than \(limit) in one call"
    case .dataLoss(let reason): reason
    }
  }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .invalidArgument(let field, let reason), .failedPrecondition(let field, let reason):
      Mlops_Common_V1_ErrorDetails(
        reason: rpcErrorCode == .invalidArgument ? "INVALID_ARGUMENT" : "FAILED_PRECONDITION", field: field, description: reason
      ).metadata
    default: [:]
    }
  }
}
