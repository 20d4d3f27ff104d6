import GRPCCore
import Hummingbird

/// An error in MLflow's REST shape: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": …}`
/// with the HTTP status MLflow's server gives that code, so MLflow's client raises the
/// `MlflowException` its callers already handle (`mlflow.set_experiment` creates the
/// experiment on RESOURCE_DOES_NOT_EXIST).
public struct MLflowError: Error, Sendable, Encodable {
  /// MLflow's `ErrorCode` name.
  public let errorCode: String
  /// What went wrong, naming the field or resource.
  public let message: String
  let status: Int

  enum CodingKeys: String, CodingKey {
    case errorCode = "error_code"
    case message
  }

  init(_ errorCode: String, _ message: String, status: Int) {
    self.errorCode = errorCode
    self.message = message
    self.status = status
  }

  /// A request field MLflow's server would refuse (400).
  static func invalidParameter(_ message: String) -> MLflowError {
    MLflowError("INVALID_PARAMETER_VALUE", message, status: 400)
  }

  /// A path no endpoint serves (404).
  static func endpointNotFound(_ path: String) -> MLflowError {
    MLflowError("ENDPOINT_NOT_FOUND", "no MLflow REST endpoint \(path)", status: 404)
  }

  /// The platform's gRPC status as MLflow's error code and HTTP status.
  init(_ error: RPCError) {
    switch error.code {
    case .invalidArgument, .outOfRange: self.init("INVALID_PARAMETER_VALUE", error.message, status: 400)
    case .notFound: self.init("RESOURCE_DOES_NOT_EXIST", error.message, status: 404)
    case .alreadyExists: self.init("RESOURCE_ALREADY_EXISTS", error.message, status: 400)
    case .failedPrecondition, .aborted: self.init("INVALID_STATE", error.message, status: 400)
    case .unauthenticated: self.init("UNAUTHENTICATED", error.message, status: 401)
    case .permissionDenied: self.init("PERMISSION_DENIED", error.message, status: 403)
    case .resourceExhausted: self.init("REQUEST_LIMIT_EXCEEDED", error.message, status: 429)
    case .unimplemented: self.init("NOT_IMPLEMENTED", error.message, status: 501)
    case .unavailable: self.init("TEMPORARILY_UNAVAILABLE", error.message, status: 503)
    case .deadlineExceeded: self.init("DEADLINE_EXCEEDED", error.message, status: 504)
    default: self.init("INTERNAL_ERROR", error.message, status: 500)
    }
  }

  /// The HTTP status of the response.
  var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: status) }
}
