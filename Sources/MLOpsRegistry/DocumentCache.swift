import Synchronization

/// Decoded model and version documents, keyed by their exact stored text. Decoding JSON was
/// the largest cost of a read (an alias lookup spent ~40% of its CPU in JSONDecoder); the key
/// being the text itself, a hit is exactly what decoding would return, so the cache needs no
/// invalidation — a changed document is a different key. Bounded: when full it starts over.
final class DocumentCache: Sendable {
  private let models = Mutex<[String: RegisteredModelRecord]>([:])
  private let versions = Mutex<[String: ModelVersionRecord]>([:])
  let capacity: Int

  init(capacity: Int = 4096) {
    self.capacity = capacity
  }

  func model(_ text: String) throws -> RegisteredModelRecord {
    if let hit = models.withLock({ $0[text] }) { return hit }
    let decoded = try RegistryCoding.decode(RegisteredModelRecord.self, text)
    models.withLock { cache in
      if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
      cache[text] = decoded
    }
    return decoded
  }

  func version(_ text: String) throws -> ModelVersionRecord {
    if let hit = versions.withLock({ $0[text] }) { return hit }
    let decoded = try RegistryCoding.decode(ModelVersionRecord.self, text)
    versions.withLock { cache in
      if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
      cache[text] = decoded
    }
    return decoded
  }
}
