import GRPCCore
import MLOpsProto

/// Every way a tracker call can fail, each mapped to its gRPC status with a message that names
/// the field or object, so clients in any language can react without parsing prose.
public enum TrackerError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case experimentNotFound(String)
  case experimentNameTaken(String)
  case runNotFound(String)
  case runDeleted(String)
  case paramConflict(key: String, stored: String, new: String)
  case tagNotFound(runID: String, key: String)
  case failedPrecondition(String)
  case artifactNotFound(runID: String, path: String)
  case artifactConflict(path: String, reason: String)
  case storage(String)
  case loggedModelNotFound(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .experimentNotFound, .runNotFound, .tagNotFound, .artifactNotFound, .loggedModelNotFound: .notFound
    case .experimentNameTaken: .alreadyExists
    case .runDeleted, .failedPrecondition, .artifactConflict: .failedPrecondition
    case .paramConflict: .invalidArgument
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
    case .paramConflict(let key, let stored, _):
      Mlops_Common_V1_ErrorDetails(
        reason: "PARAM_CONFLICT", field: "params[\(key)]", description: "already logged as '\(stored)'"
      ).metadata
    case .tagNotFound(_, let key):
      Mlops_Common_V1_ErrorDetails(reason: "TAG_NOT_FOUND", field: "key", description: "no tag '\(key)'").metadata
    case .artifactConflict(let path, let reason):
      Mlops_Common_V1_ErrorDetails(reason: "ARTIFACT_PATH_CONFLICT", field: "header.path", description: "\(path): \(reason)").metadata
    case .experimentNotFound, .runNotFound, .runDeleted, .failedPrecondition, .artifactNotFound, .storage, .loggedModelNotFound: [:]
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason): "\(field): \(reason)"
    case .experimentNotFound(let what): "experiment \(what) does not exist"
    case .experimentNameTaken(let name): "name: an experiment named '\(name)' already exists"
    case .runNotFound(let id): "run_id: run '\(id)' does not exist"
    case .loggedModelNotFound(let id): "model_id: logged model '\(id)' does not exist"
    case .runDeleted(let id): "run_id: run '\(id)' is deleted; restore it before writing to it"
    case .paramConflict(let key, let stored, let new):
      "params: param '\(key)' was logged as '\(stored)' and cannot change to '\(new)'"
    case .tagNotFound(let run, let key): "key: run '\(run)' has no tag '\(key)'"
    case .failedPrecondition(let reason): reason
    case .artifactNotFound(let run, let path): "path: run '\(run)' has no artifact '\(path)'"
    case .artifactConflict(let path, let reason): "header.path: cannot store '\(path)': \(reason)"
    case .storage(let reason): "storage unavailable: \(reason)"
    }
  }
}
