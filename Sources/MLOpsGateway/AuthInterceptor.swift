import Foundation
import GRPCCore
import Logging
import MLOpsCore

/// Authenticates and authorises every call the gateway serves: the `authorization: Bearer
/// <API key>` header must name a live key whose role reaches the RPC's (``RoleTable``). The
/// caller's identity is then set from the key — a client's own `x-mlops-actor` is dropped —
/// and the secret is removed before the call goes further, so no upstream service or log sees
/// it. Refusals and every call above viewer go to the audit log.
public struct AuthInterceptor: ServerInterceptor {
  let ring: KeyRing
  let audit: AuditLog
  /// Per-key call rate; nil: no limit.
  let limiter: RateLimiter?

  public init(ring: KeyRing, audit: AuditLog, limiter: RateLimiter? = nil) {
    self.ring = ring
    self.audit = audit
    self.limiter = limiter
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    guard let needed = RoleTable.role(for: context.descriptor) else { return try await next(request, context) }
    let method = context.descriptor.fullyQualifiedMethod
    let key: ApiKey
    do {
      key = try ring.verify(try Self.token(request.metadata))
    } catch {
      audit.record(actor: "", keyID: "", method: method, code: "UNAUTHENTICATED", detail: (error as? GatewayError)?.rpcErrorMessage ?? "")
      throw error
    }
    guard key.role >= needed else {
      audit.record(actor: key.name, keyID: key.keyID, method: method, code: "PERMISSION_DENIED", detail: "needs \(needed)")
      throw GatewayError.permissionDenied(method: method, needed: needed, held: key.role)
    }
    if let limiter, let wait = limiter.take(key.keyID) {
      let milliseconds = wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000
      throw RPCError(
        code: .resourceExhausted,
        message: "API key '\(key.keyID)' (\(key.name)) is over its limit of \(limiter.rate) calls per second; retry in \(milliseconds) ms",
        metadata: ["grpc-retry-pushback-ms": "\(milliseconds)", "retry-after-ms": "\(milliseconds)"])
    }
    var request = request
    request.metadata.removeAllValues(forKey: "authorization")
    request.metadata.removeAllValues(forKey: Metadata.actorKey)
    request.metadata.addString(key.name, forKey: Metadata.actorKey)
    guard needed > .viewer else { return try await next(request, context) }
    // A write is audited with the status it ended with.
    let audit = self.audit
    @Sendable func record(_ code: String) { audit.record(actor: key.name, keyID: key.keyID, method: method, code: code, detail: "") }
    let response: StreamingServerResponse<Output>
    do {
      response = try await next(request, context)
    } catch {
      record("\((error as? RPCError)?.code ?? .unknown)")
      throw error
    }
    guard case .success(var contents) = response.accepted else {
      record(Self.outcome(response))
      return response
    }
    let producer = contents.producer
    contents.producer = { writer in
      do {
        let trailers = try await producer(writer)
        record("OK")
        return trailers
      } catch {
        record("\((error as? RPCError)?.code ?? (error as? any RPCErrorConvertible)?.rpcErrorCode ?? .unknown)")
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
