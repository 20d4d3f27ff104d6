import GRPCCore
import MLOpsCore

/// The gateway's decision on one call, shared by ``AuthInterceptor`` (the ordinary path) and
/// the relayed fast routes: the `authorization: Bearer <API key>` header must name a live key
/// whose role reaches the RPC's (``RoleTable``), within the key's rate. The caller's identity
/// is set from the key — a client's own `x-mlops-actor` is dropped — and the secret removed,
/// so no upstream service or log sees it. Refusals and every call above viewer are audited.
public struct CallAuthorizer: Sendable {
  let ring: KeyRing
  let audit: AuditLog
  /// Per-key call rate; nil: no limit.
  let limiter: RateLimiter?

  /// - Parameter limiter: the per-key call rate (nil: none).
  public init(ring: KeyRing, audit: AuditLog, limiter: RateLimiter? = nil) {
    self.ring = ring
    self.audit = audit
    self.limiter = limiter
  }

  /// A call let through: the metadata to send on, and how to audit how it ended.
  public struct Admission: Sendable {
    /// The caller's metadata with the secret removed and the actor set from the key.
    public var metadata: Metadata
    let audit: AuditLog
    let key: ApiKey
    let method: String
    /// Whether the call's end is audited (every call above viewer).
    public let audited: Bool

    /// Records how an audited call ended ("OK", "NOT_FOUND" …).
    public func record(_ code: String) {
      guard audited else { return }
      audit.record(actor: key.name, keyID: key.keyID, method: method, code: code, detail: "")
    }
  }

  /// Admits an HTTP request (the MLflow, JSON and Open Inference fronts) by its
  /// `Authorization` header, as the gRPC call behind it would be.
  public func admit(authorization header: String?, to descriptor: MethodDescriptor) throws -> Admission? {
    var metadata = Metadata()
    if let header { metadata.addString(header, forKey: "authorization") }
    return try admit(metadata, to: descriptor)
  }

  /// Admits a call to `descriptor` carrying `metadata`; nil when the method needs no key.
  /// - Throws: UNAUTHENTICATED (no key, or a bad or revoked one), PERMISSION_DENIED naming the
  ///   role needed, RESOURCE_EXHAUSTED with retry advice over the rate.
  public func admit(_ metadata: Metadata, to descriptor: MethodDescriptor) throws -> Admission? {
    guard let needed = RoleTable.role(for: descriptor) else { return nil }
    let method = descriptor.fullyQualifiedMethod
    let key: ApiKey
    do {
      key = try ring.verify(try AuthInterceptor.token(metadata))
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
    var metadata = metadata
    metadata.removeAllValues(forKey: "authorization")
    metadata.removeAllValues(forKey: Metadata.actorKey)
    metadata.addString(key.name, forKey: Metadata.actorKey)
    return Admission(metadata: metadata, audit: audit, key: key, method: method, audited: needed > .viewer)
  }
}
