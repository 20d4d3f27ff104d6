import Foundation
import GRPCCore
import Hummingbird
import MLOpsCore
import MLOpsProto

/// How the JSON front answers a failed call: gRPC's code, its name and message, the
/// platform's `ErrorDetails` in protobuf's JSON, and the HTTP status gRPC-to-HTTP gateways
/// (grpc-gateway, Envoy's transcoder) give that code, so HTTP clients branch on the status.
extension JSONFront {
  struct Failure: Encodable {
    let code: Int
    let status: String
    let message: String
    let details: [Violation]
  }

  /// One violated field of the platform's `ErrorDetails`.
  struct Violation: Encodable {
    let reason: String
    let field: String
    let description: String
  }

  static func rpcError(_ error: any Error) -> RPCError {
    switch error {
    case let error as RPCError: return error
    case let error as any RPCErrorConvertible:
      return RPCError(code: error.rpcErrorCode, message: error.rpcErrorMessage, metadata: error.rpcErrorMetadata)
    case let error as any HTTPResponseError where error.status == .contentTooLarge:
      return RPCError(code: .resourceExhausted, message: "body: larger than the limit of \(GRPCServerService.maxPayloadBytes) bytes")
    default: return RPCError(code: .unavailable, message: "\(error)")
    }
  }

  static func failure(_ error: RPCError) -> Response {
    let details = Mlops_Common_V1_ErrorDetails(from: error.metadata).map { details in
      details.violations.map { Violation(reason: details.reason, field: $0.field, description: $0.description_p) }
    }
    let answer = Failure(
      code: error.code.rawValue, status: statusName(error.code), message: error.message, details: details ?? [])
    let data = (try? JSONEncoder().encode(answer)) ?? Data()
    return Response(
      status: HTTPResponse.Status(code: httpStatus(error.code)), headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// gRPC's canonical name of a code ("NOT_FOUND"), from Swift's case name ("notFound").
  static func statusName(_ code: RPCError.Code) -> String {
    var name = ""
    for character in "\(code)" {
      if character.isUppercase { name += "_" }
      name += character.uppercased()
    }
    return name
  }

  static func httpStatus(_ code: RPCError.Code) -> Int {
    switch code {
    case .invalidArgument, .failedPrecondition, .outOfRange: 400
    case .unauthenticated: 401
    case .permissionDenied: 403
    case .notFound: 404
    case .alreadyExists, .aborted: 409
    case .resourceExhausted: 429
    case .cancelled: 499
    case .unimplemented: 501
    case .unavailable: 503
    case .deadlineExceeded: 504
    default: 500
    }
  }
}
