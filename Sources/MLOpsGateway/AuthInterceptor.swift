import Foundation
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

  /// The bearer token of a call.
  static func token(_ metadata: Metadata) throws -> String {
    guard let header = metadata[stringValues: "authorization"].first(where: { _ in true }) else {
      throw GatewayError.unauthenticated("missing; send 'authorization: Bearer <API key>'")
    }
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw GatewayError.unauthenticated("expected 'Bearer <API key>'")
    }
    return String(parts[1]).trimmingCharacters(in: .whitespaces)
  }

  static func outcome<Output>(_ response: StreamingServerResponse<Output>) -> String {
    switch response.accepted {
    case .success: "OK"
    case .failure(let error): "\(error.code)"
    }
  }
}
