import Foundation
import MLOpsCore
import MLOpsRuntime
import Synchronization

/// A deployment's cache of model answers (off unless the deployment asks for it): repeated
/// inputs — the same user scored again, the same prompt — are answered without running the
/// model. Keyed by the SHA-256 of the variant, its exact model (version and artifact digest)
/// and the input tensors the model would have run, so an answer is only ever reused for the
/// same model on the same input. Least recently used entries go first once `capacity` is
/// reached; an entry older than `ttl` is never answered. One cache lives as long as one
/// deployment generation (a new generation starts empty).
final class ResponseCache: Sendable {
  /// One stored answer, linked into the recency list by key.
  private struct Entry {
    var outputs: [String: Value]
    var stored: ContinuousClock.Instant
    var newer: String?
    var older: String?
  }

  /// The entries and the recency list: `newest` was used last, `oldest` goes first.
  private struct State {
    var entries: [String: Entry] = [:]
    var newest: String?
    var oldest: String?
  }

  let capacity: Int
  let ttl: Duration
  private let state = Mutex(State())
  private let counters: RouterMetrics.CacheCounters

  init(policy: DeploymentDefinition.CachePolicy, counters: RouterMetrics.CacheCounters) {
    self.capacity = max(1, policy.maxEntries)
    self.ttl = .milliseconds(policy.ttlMilliseconds)
    self.counters = counters
  }

  /// The key of one model run: who answers and exactly what it is fed. Inputs are hashed in
  /// name order with their shapes and element types, so equal feeds give equal keys however
  /// the request spelled them (rows, typed columns or Open Inference tensors).
  static func key(variant: LiveDeployment.Variant, inputs: [String: Tensor]) -> String {
    var hash = SHA256Stream()
    var header = "\(variant.name)\u{0}\(variant.resolved.name)\u{0}\(variant.resolved.version)\u{0}\(variant.resolved.digest)\u{0}"
    header.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
    for name in inputs.keys.sorted() {
      guard let tensor = inputs[name] else { continue }
      var label = "\(name)\u{0}\(tensor.elementType)\u{0}\(tensor.shape.map(String.init).joined(separator: ","))\u{0}"
      label.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
      tensor.data.hash(into: &hash)
    }
    return hash.hex()
  }

  /// The stored answer for `key` if there is one younger than the TTL (it becomes the most
  /// recently used); counts a hit or a miss.
  func answer(for key: String, now: ContinuousClock.Instant = .now) -> [String: Value]? {
    let found: [String: Value]? = state.withLock { state in
      guard let entry = state.entries[key] else { return nil }
      guard now - entry.stored < ttl else {
        Self.unlink(key, from: &state)
        return nil
      }
      Self.unlink(key, from: &state)
      Self.link(key, entry.outputs, stored: entry.stored, into: &state)
      return entry.outputs
    }
    if found == nil { counters.misses.increment() } else { counters.hits.increment() }
    return found
  }

  /// Stores an answer as the most recently used, evicting the least recently used entry
  /// when the cache is full.
  func store(_ outputs: [String: Value], for key: String, now: ContinuousClock.Instant = .now) {
    let evicted: Bool = state.withLock { state in
      if state.entries[key] != nil { Self.unlink(key, from: &state) }
      var evicted = false
      if state.entries.count >= capacity, let oldest = state.oldest {
        Self.unlink(oldest, from: &state)
        evicted = true
      }
      Self.link(key, outputs, stored: now, into: &state)
      return evicted
    }
    if evicted { counters.evictions.increment() }
  }

  private static func link(_ key: String, _ outputs: [String: Value], stored: ContinuousClock.Instant, into state: inout State) {
    state.entries[key] = Entry(outputs: outputs, stored: stored, newer: nil, older: state.newest)
    if let previous = state.newest { state.entries[previous]?.newer = key }
    state.newest = key
    if state.oldest == nil { state.oldest = key }
  }

  private static func unlink(_ key: String, from state: inout State) {
    guard let entry = state.entries.removeValue(forKey: key) else { return }
    if let newer = entry.newer { state.entries[newer]?.older = entry.older } else { state.newest = entry.older }
    if let older = entry.older { state.entries[older]?.newer = entry.newer } else { state.oldest = entry.newer }
  }
}

extension TensorData {
  /// Feeds the elements' exact bytes (strings length-prefixed) to a digest.
  fileprivate func hash(into hash: inout SHA256Stream) {
    func raw<T>(_ values: [T]) { values.withUnsafeBytes { hash.update($0) } }
    switch self {
    case .float(let v): raw(v)
    case .double(let v): raw(v)
    case .int64(let v): raw(v)
    case .bool(let v): raw(v)
    case .string(let v):
      for var s in v {
        raw([UInt64(s.utf8.count)])
        s.withUTF8 { hash.update(UnsafeRawBufferPointer($0)) }
      }
    }
  }
}
