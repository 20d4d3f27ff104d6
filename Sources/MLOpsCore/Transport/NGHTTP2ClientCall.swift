import Foundation
import GRPCCore
import NIOCore

/// One unary call a relay connection has sent, touched only on the connection's event loop:
/// the request bytes nghttp2 pulls as DATA, the response read by gRPC's rules (the one
/// message, the status, the trailers' metadata), and who waits for the end.
final class NGHTTP2ClientCall {
  /// What a relayed unary call ended with.
  typealias Outcome = Result<(message: [UInt8], trailers: Metadata), RPCError>

  /// The request message with its five-byte prefix, sent from `offset`.
  let request: [UInt8]
  var offset = 0
  var decoder: GRPCMessageDecoder
  var message: [UInt8]?
  var messages = 0
  var httpStatus: Int?
  var grpcStatus: Int?
  var grpcMessage = ""
  /// Fields of the block that ends the stream (trailers, or a Trailers-Only answer).
  var trailers = Metadata()
  /// A failure found while reading (too large a message), which wins over the status.
  var failure: RPCError?
  var deadline: Scheduled<Void>?
  private var completion: ((Outcome) -> Void)?

  init(message: [UInt8], maxMessageBytes: Int, completion: @escaping (Outcome) -> Void) {
    var framed = [UInt8]()
    GRPCFraming.append(message, to: &framed)
    self.request = framed
    self.decoder = GRPCMessageDecoder(maxMessageBytes: maxMessageBytes)
    self.completion = completion
  }

  /// Reads one response header field; `ending` when its block ends the stream.
  func header(name: String, value: String, ending: Bool) {
    switch name {
    case ":status": httpStatus = Int(value)
    case "grpc-status": grpcStatus = Int(value)
    case "grpc-message": grpcMessage = value.removingPercentEncoding ?? value
    default:
      guard ending, !name.hasPrefix(":"), !HTTP2HeaderBlock.reserved.contains(name) else { return }
      if name.hasSuffix("-bin") {
        if let bytes = GRPCRequestHead.base64(value) { trailers.addBinary(bytes, forKey: name) }
      } else {
        trailers.addString(value, forKey: name)
      }
    }
  }

  /// Copies request bytes for nghttp2; marks the end of DATA once all are taken.
  func take(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> (count: Int, ended: Bool) {
    let count = GRPCFraming.copy(request, from: offset, into: buffer, capacity: capacity)
    offset += count
    return (count, offset == request.count)
  }

  /// Ends the call once: the status the peer sent, or `error` when the stream ended otherwise.
  func finish(error: RPCError? = nil) {
    guard let completion else { return }
    self.completion = nil
    deadline?.cancel()
    completion(outcome(error: error))
  }

  private func outcome(error: RPCError?) -> Outcome {
    if let failure { return .failure(failure) }
    if let grpcStatus {
      let code = RPCError.Code(Status.Code(rawValue: grpcStatus) ?? .unknown) ?? .unknown
      guard grpcStatus == 0 else { return .failure(RPCError(code: code, message: grpcMessage, metadata: trailers)) }
      guard let message, messages == 1 else {
        return .failure(RPCError(code: .internalError, message: "the peer answered a unary call with \(messages) messages"))
      }
      return .success((message, trailers))
    }
    if let error { return .failure(error) }
    return .failure(
      RPCError(code: Self.code(httpStatus: httpStatus), message: "the peer ended the call without a gRPC status (HTTP \(httpStatus ?? 0))"))
  }

  /// gRPC's mapping of an HTTP status without a gRPC status.
  static func code(httpStatus: Int?) -> RPCError.Code {
    switch httpStatus {
    case 400: .internalError
    case 401: .unauthenticated
    case 403: .permissionDenied
    case 404: .unimplemented
    default: .unavailable
    }
  }
}
