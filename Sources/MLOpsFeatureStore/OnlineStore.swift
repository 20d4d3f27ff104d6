import Foundation
import Synchronization

/// The latest row per (view, entity) in memory, so an online read is dictionary lookups under
/// one lock. Rows stay encoded and are decoded by the reader with the view's current
/// definition, so writes never decode and a new version of a view needs no rewrite here. The
/// online table is the durable copy: every change is committed there first, and
/// ``load(view:_:)`` rebuilds a view at start.
public final class OnlineStore: Sendable {
  private let views = Mutex<[String: [String: StoredRow]]>([:])

  public init() {}

  /// Replaces what is held for `view` (startup, or a view's rows cleared).
  func load(view: String, _ rows: [String: StoredRow]) {
    views.withLock { $0[view] = rows }
  }

  func remove(view: String) {
    _ = views.withLock { $0.removeValue(forKey: view) }
  }

  /// The rows of `candidates` that would change the online value: later than what is held
  /// (``StoredRow/supersedes(_:)``) and not an identical copy of it. At most one per entity,
  /// the batch's own winner.
  func changes(view: String, _ candidates: [StoredRow]) -> [StoredRow] {
    var winners: [String: Int] = [:]
    winners.reserveCapacity(candidates.count)
    var order: [Int] = []
    for (index, row) in candidates.enumerated() {
      if let current = winners[row.entity] {
        if row.supersedes(candidates[current]) { winners[row.entity] = index }
      } else {
        winners[row.entity] = index
        order.append(index)
      }
    }
    return views.withLock { views in
      let held = views[view]
      return order.compactMap { first in
        let row = candidates[winners[candidates[first].entity]!]
        guard let current = held?[row.entity] else { return row }
        return row.supersedes(current) && !Self.same(row, current) ? row : nil
      }
    }
  }

  /// Applies committed rows by the same rule, so concurrent writers converge on the row the
  /// online table kept.
  func apply(view: String, _ rows: [StoredRow]) {
    guard !rows.isEmpty else { return }
    views.withLock { views in
      var entries = views.removeValue(forKey: view) ?? [:]  // edit in place, without a copy
      entries.reserveCapacity(entries.count + rows.count)
      for row in rows {
        if let current = entries[row.entity], !row.supersedes(current) { continue }
        entries[row.entity] = row
      }
      views[view] = entries
    }
  }

  /// The held rows of `keys` in `view`, in order (nil where none).
  func lookup(view: String, _ keys: [String]) -> [StoredRow?] {
    views.withLock { views in
      guard let entries = views[view] else { return Array(repeating: nil, count: keys.count) }
      return keys.map { entries[$0] }
    }
  }

  /// Up to `limit` held rows of `view` (all when `limit` is 0), in random order.
  func sample(view: String, limit: Int) -> [StoredRow] {
    let all = views.withLock { Array(($0[view] ?? [:]).values) }
    guard limit > 0, limit < all.count else { return all }
    return Array(all.shuffled().prefix(limit))
  }

  static func same(_ a: StoredRow, _ b: StoredRow) -> Bool {
    a.eventTime == b.eventTime && a.createdTime == b.createdTime && a.payload == b.payload
  }
}

extension FeatureViewDefinition {
  /// A stored row's values in this version's feature order (null where unreadable).
  func values(of row: StoredRow) -> [FeatureData] {
    (try? FeaturePayload.decode(row.payload, names: featureNames, types: featureTypes)) ?? Array(repeating: .null, count: features.count)
  }
}
