import Foundation
import Logging
import MLOpsCore
import Synchronization

/// The API keys a gateway checks calls against, held in memory (a call costs a dictionary
/// lookup and one SHA-256, no database round trip) and reloaded from storage every
/// ``refreshInterval``, so a key revoked through another replica stops working within it.
public final class KeyRing: Sendable {
  public static let refreshInterval: Duration = .milliseconds(500)

  let store: ApiKeyStore
  let clock: @Sendable () -> Int64
  private let keys = Mutex<[String: ApiKey]>([:])
  private let used = Mutex<[String: Int64]>([:])
  /// Tokens already checked against their key's hash, so a busy client pays the SHA-256 once:
  /// token → key id. A revoked or reloaded key is still looked up on every call.
  private let verified = Mutex<[String: String]>([:])
  static let verifiedCapacity = 10_000

  public init(store: ApiKeyStore, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
    self.store = store
    self.clock = clock
  }

  /// Reloads every key from storage and writes the last-use times gathered since.
  public func refresh() async throws {
    let touched = used.withLock { pending in
      defer { pending.removeAll() }
      return pending
    }
    try await store.touch(touched)
    let loaded = try await store.all()
    keys.withLock { $0 = Dictionary(uniqueKeysWithValues: loaded.map { ($0.keyID, $0) }) }
  }

  /// The key a bearer token belongs to.
  /// - Throws: UNAUTHENTICATED for a malformed, unknown or revoked token (the message never
  ///   repeats the token).
  public func verify(_ token: String) throws -> ApiKey {
    if let id = verified.withLock({ $0[token] }), let key = keys.withLock({ $0[id] }) {
      return try live(key)
    }
    guard let id = ApiKeyToken.keyID(of: token) else { throw GatewayError.unauthenticated("is not an mlops API key (Bearer mlk_…)") }
    guard let key = keys.withLock({ $0[id] }), ApiKeyToken.constantTimeEqual(key.secretSHA256, ApiKeyToken.sha256(token)) else {
      throw GatewayError.unauthenticated("the API key is not valid")
    }
    verified.withLock { cache in
      if cache.count >= Self.verifiedCapacity { cache.removeAll() }
      cache[token] = id
    }
    return try live(key)
  }

  /// `key` unless it is revoked; notes that it was used.
  private func live(_ key: ApiKey) throws -> ApiKey {
    guard !key.revoked else { throw GatewayError.unauthenticated("API key '\(key.keyID)' (\(key.name)) was revoked") }
    let now = clock()
    used.withLock { $0[key.keyID] = now }
    return key
  }

  /// Adds a key created through this gateway at once (other replicas see it on refresh).
  func remember(_ key: ApiKey) {
    keys.withLock { $0[key.keyID] = key }
  }

  /// Marks a key revoked here at once.
  func forget(_ keyID: String, at time: Int64) {
    keys.withLock { $0[keyID]?.revokedTime = time }
  }

  /// How many keys are known (revoked ones included).
  var count: Int { keys.withLock { $0.count } }
}
