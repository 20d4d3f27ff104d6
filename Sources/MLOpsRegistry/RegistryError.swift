import GRPCCore
import MLOpsProto

/// Every way a registry call fails, each with its gRPC status and a message naming the field.
public enum RegistryError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case modelNotFound(String)
  case versionNotFound(model: String, version: Int64)
  case aliasNotFound(model: String, alias: String)
  case modelNameTaken(String)
  case failedPrecondition(field: String, reason: String)
  case unauthenticated(String)
  case trackerUnavailable(String)
  case storage(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .modelNotFound, .versionNotFound, .aliasNotFound: .notFound
    case .modelNameTaken: .alreadyExists
    case .failedPrecondition: .failedPrecondition
    case .unauthenticated: .unauthenticated
    case .trackerUnavailable, .storage: .unavailable
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason): "\(field): \(reason)"
    case .modelNotFound(let name): "name: registered model '\(name)' does not exist"
    case .versionNotFound(let model, let version): "version: model '\(model)' has no version \(version)"
    case .aliasNotFound(let model, let alias): "alias: model '\(model)' has no alias '\(alias)'"
    case .modelNameTaken(let name): "name: a registered model named '\(name)' already exists"
    case .failedPrecondition(let field, let reason): "\(field): \(reason)"
    case .unauthenticated(let reason): reason
    case .trackerUnavailable(let reason): "the tracker is unavailable: \(reason)"
    case .storage(let reason): "storage unavailable: \(reason)"
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
