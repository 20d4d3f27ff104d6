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
  /// Everything a call's check reads and writes, behind one lock so a call takes it once.
  private let state = Mutex(State())
  static let verifiedCapacity = 10_000

  struct State {
    var keys: [String: ApiKey] = [:]
    /// Last use per key id since the last refresh, written to storage then.
    var used: [String: Int64] = [:]
    /// Tokens already checked against their key's hash, so a busy client pays the SHA-256
    /// once: token → key id. A revoked or reloaded key is still looked up on every call.
    var verified: [String: String] = [:]
    /// Counts the changes made here (``remember(_:)``, ``forget(_:at:)``).
    var changes = 0
    /// Keys changed here, with the change's number, until a reload that began after the change
    /// has seen it: a reload whose read of storage began before a key was created or revoked
    /// here must not undo that (a new key refused, a revoked one accepted, until the next).
    var local: [String: (key: ApiKey, change: Int)] = [:]
  }

  public init(store: ApiKeyStore, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
    self.store = store
    self.clock = clock
  }

  /// Reloads every key from storage and writes the last-use times gathered since.
  public func refresh() async throws {
    let touched = state.withLock { state in
      defer { state.used.removeAll() }
      return state.used
    }
    try await store.touch(touched)
    let start = state.withLock { $0.changes }
    apply(try await store.all(), readSince: start)
  }

  /// Installs the keys read from storage by a reload that began after change `start`; the
  /// changes made here since then win over what that read saw.
  func apply(_ loaded: [ApiKey], readSince start: Int) {
    state.withLock { state in
      var keys = Dictionary(uniqueKeysWithValues: loaded.map { ($0.keyID, $0) })
      state.local = state.local.filter { $0.value.change > start }
      for (id, entry) in state.local { keys[id] = entry.key }
      state.keys = keys
    }
  }

  /// The number of the last change made here, for a reload to begin from.
  var changeNumber: Int { state.withLock { $0.changes } }

  /// The key a bearer token belongs to.
  /// - Throws: UNAUTHENTICATED for a malformed, unknown or revoked token (the message never
  ///   repeats the token).
  public func verify(_ token: String) throws -> ApiKey {
    let now = clock()
    let known = state.withLock { state -> ApiKey? in
      guard let id = state.verified[token], let key = state.keys[id] else { return nil }
      if !key.revoked { state.used[id] = now }
      return key
    }
    if let known { return try live(known) }
    guard let id = ApiKeyToken.keyID(of: token) else { throw GatewayError.unauthenticated("is not an mlops API key (Bearer mlk_…)") }
    guard let key = state.withLock({ $0.keys[id] }), ApiKeyToken.constantTimeEqual(key.secretSHA256, ApiKeyToken.sha256(token)) else {
      throw GatewayError.unauthenticated("the API key is not valid")
    }
    state.withLock { state in
      if state.verified.count >= Self.verifiedCapacity { state.verified.removeAll() }
      state.verified[token] = id
      if !key.revoked { state.used[id] = now }
    }
    return try live(key)
  }

  /// `key` unless it is revoked.
  private func live(_ key: ApiKey) throws -> ApiKey {
    guard !key.revoked else { throw GatewayError.unauthenticated("API key '\(key.keyID)' (\(key.name)) was revoked") }
    return key
  }

  /// Adds a key created through this gateway at once (other replicas see it on refresh).
  func remember(_ key: ApiKey) {
    state.withLock { state in
      state.changes += 1
      state.keys[key.keyID] = key
      state.local[key.keyID] = (key, state.changes)
    }
  }

  /// Marks a key revoked here at once.
  func forget(_ keyID: String, at time: Int64) {
    state.withLock { state in
      guard var key = state.keys[keyID] else { return }
      state.changes += 1
      key.revokedTime = time
      state.keys[keyID] = key
      state.local[keyID] = (key, state.changes)
    }
  }

  /// How many keys are known (revoked ones included).
  var count: Int { state.withLock { $0.keys.count } }
}
