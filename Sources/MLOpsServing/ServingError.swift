import GRPCCore
import MLOpsCore
import MLOpsProto

/// Every way a router call fails, each with its gRPC status and a message naming the field.
public enum ServingError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case deploymentNotFound(String)
  case deploymentNameTaken(String)
  case failedPrecondition(field: String, reason: String)
  /// A peer (the registry) or a model that cannot serve right now.
  case unavailable(String)
  /// A model's answer that cannot be trusted (a downloaded artifact whose digest differs).
  case dataLoss(String)

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .deploymentNotFound: .notFound
    case .deploymentNameTaken: .alreadyExists
    case .failedPrecondition: .failedPrecondition
    case .unavailable: .unavailable
    case .dataLoss: .dataLoss
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason), .failedPrecondition(let field, let reason): "\(field): \(reason)"
    case .deploymentNotFound(let name): "deployment: deployment '\(name)' does not exist"
    case .deploymentNameTaken(let name): "deployment.name: a deployment named '\(name)' already exists"
    case .unavailable(let reason), .dataLoss(let reason): reason
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
