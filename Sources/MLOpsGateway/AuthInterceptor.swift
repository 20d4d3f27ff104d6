import GRPCCore
import Logging
import MLOpsCore

/// Authenticates and authorises every call the gateway serves on the ordinary path, by the
/// rules of ``CallAuthorizer``; a call above viewer is audited with the status it ended with.
public struct AuthInterceptor: ServerInterceptor {
  let authorizer: CallAuthorizer

  public init(authorizer: CallAuthorizer) {
    self.authorizer = authorizer
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    guard let admission = try authorizer.admit(request.metadata, to: context.descriptor) else { return try await next(request, context) }
    var request = request
    request.metadata = admission.metadata
    guard admission.audited else { return try await next(request, context) }
    let response: StreamingServerResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      admission.record("\((error as? RPCError)?.code ?? .unknown)")
      throw error
    }
    guard case .success(var contents) = response.accepted else {
      admission.record(Self.outcome(response))
      return response
    }
    let producer = contents.producer
    contents.producer = { writer in
      do {
        let trailers = try await producer(writer)
        admission.record("OK")
        return trailers
      } catch {
        admission.record("\((error as? RPCError)?.code ?? (error as? any RPCErrorConvertible)?.rpcErrorCode ?? .unknown)")
        throw error
      }
    }
    return StreamingServerResponse(accepted: .success(contents))
  }

  /// The bearer token of a call: `authorization: Bearer <token>`, the scheme in any case,
  /// spaces around the token ignored. Read byte by byte: it runs on every call.
  static func token(_ metadata: Metadata) throws -> String {
    guard let header = metadata[stringValues: "authorization"].first(where: { _ in true }) else {
      throw GatewayError.unauthenticated("missing; send 'authorization: Bearer <API key>'")
    }
    var bytes = Substring(header).utf8.drop { $0 == UInt8(ascii: " ") }
    let scheme = bytes.prefix { $0 != UInt8(ascii: " ") }
    bytes = bytes.dropFirst(scheme.count).drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    while let last = bytes.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { bytes = bytes.dropLast() }
    guard scheme.count == 6, zip(scheme, "bearer".utf8).allSatisfy({ $0 | 0x20 == $1 }), !bytes.isEmpty else {
      throw GatewayError.unauthenticated("expected 'Bearer <API key>'")
    }
    return String(Substring(bytes))
  }

  static func outcome<Output>(_ response: StreamingServerResponse<Output>) -> String {
    switch response.accepted {
    case .success: "OK"
    case .failure(let error): "\(error.code)"
    }
  }
}
