import Foundation

/// One (view, entity, feature) whose online value the offline log does not reproduce.
public struct ConsistencyMismatch: Sendable {
  public var view: String
  public var entityKey: [String: FeatureData]
  public var feature: String
  public var online: ServedValue
  public var offline: ServedValue
}

/// CheckConsistency: value-level parity between the online store and the offline log.
extension FeatureEngine {
  /// Replays sampled online rows through the point-in-time join at the time they became
  /// current (the later of their event and created times, TTL aside: expiry is a property of
  /// the read, not of the value) and reports every feature whose value or event time differs.
  /// - Returns: values compared, and the mismatches.
  public func checkConsistency(views names: [String], sampleSize: Int) async throws -> (Int, [ConsistencyMismatch]) {
    guard sampleSize >= 0 else { throw FeatureStoreError.invalidArgument(field: "sample_size", reason: "must not be negative") }
    var checked = 0
    var mismatches: [ConsistencyMismatch] = []
    for view in try await onlineViews(names) where view.offline {
      let sample = online.sample(view: view.name, limit: sampleSize)
      let history = try await repository.history(
        view: view.name, sample.map { ($0.entity, Int64.min, max($0.eventTime, $0.createdTime)) })
      for row in sample {
        let at = max(row.eventTime, row.createdTime)
        let replayed = Self.pointInTime(history[row.entity] ?? [], at: at, ttl: 0)
        let offline = replayed.map(view.values)
        let current = view.values(of: row)
        for (index, feature) in view.features.enumerated() {
          checked += 1
          let onlineValue = ServedValue.stored(current[index], at: row.eventTime)
          let offlineValue = replayed.map { ServedValue.stored(offline![index], at: $0.eventTime) } ?? .notFound
          if onlineValue.eventTime == offlineValue.eventTime, onlineValue.value.encoded == offlineValue.value.encoded { continue }
          mismatches.append(
            ConsistencyMismatch(
              view: view.name, entityKey: EntityKey.values(of: row.entity, keys: view.joinKeys), feature: feature.name,
              online: onlineValue, offline: offlineValue))
        }
      }
    }
    return (checked, mismatches)
  }
}
