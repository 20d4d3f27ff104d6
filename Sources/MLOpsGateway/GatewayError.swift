import GRPCCore
import MLOpsCore
import MLOpsProto

/// Every way a gateway call fails, each with its gRPC status and a message naming the field
/// (or, for auth, the header and the role needed).
public enum GatewayError: Error, Equatable, RPCErrorConvertible {
  case invalidArgument(field: String, reason: String)
  case unauthenticated(String)
  case permissionDenied(method: String, needed: Role, held: Role)
  case keyNotFound(String)
  case deploymentNotFound(String)
  case policyNotFound(String)
  /// A deployment change the policy refuses: every violated rule with its reason.
  case policyViolated(scope: String, violations: [(rule: String, reason: String)])
  case unavailable(String)

  public static func == (a: GatewayError, b: GatewayError) -> Bool {
    a.rpcErrorMessage == b.rpcErrorMessage && a.rpcErrorCode == b.rpcErrorCode
  }

  public var rpcErrorCode: RPCError.Code {
    switch self {
    case .invalidArgument: .invalidArgument
    case .unauthenticated: .unauthenticated
    case .permissionDenied: .permissionDenied
    case .keyNotFound, .policyNotFound, .deploymentNotFound: .notFound
    case .policyViolated: .failedPrecondition
    case .unavailable: .unavailable
    }
  }

  public var rpcErrorMessage: String {
    switch self {
    case .invalidArgument(let field, let reason): "\(field): \(reason)"
    case .unauthenticated(let reason): "authorization: \(reason)"
    case .permissionDenied(let method, let needed, let held):
      "\(method) needs the \(needed) role; this key is \(held)"
    case .keyNotFound(let id): "key_id: API key '\(id)' does not exist"
    case .policyNotFound(let scope): "scope: no policy is set for '\(scope)'"
    case .deploymentNotFound(let name): "deployment: deployment '\(name)' does not exist"
    case .policyViolated(let scope, let violations):
      "deployment policy '\(scope)' refuses this: " + violations.map { "\($0.rule): \($0.reason)" }.joined(separator: "; ")
    case .unavailable(let reason): reason
    }
  }

  public var rpcErrorMetadata: Metadata {
    switch self {
    case .invalidArgument(let field, let reason):
      Mlops_Common_V1_ErrorDetails(reason: "INVALID_ARGUMENT", field: field, description: reason).metadata
    case .policyViolated(_, let violations):
      Mlops_Common_V1_ErrorDetails.with {
        $0.reason = "POLICY_VIOLATED"
        $0.violations = violations.map { v in
          .with {
            $0.field = v.rule
            $0.description_p = v.reason
          }
        }
      }.metadata
    default: [:]
    }
  }
}
