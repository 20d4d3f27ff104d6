import GRPCCore

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

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason): "\(field): \(reason)"
    case .experimentNotFound(let what): "experiment \(what) does not exist"
    case .experimentNameTaken(let name): "name: an experiment named '\(name)' already exists"
    case .storage(let reason): "storage unavailable: \(reason)"
    }
  }
}
