import Foundation
import Synchronization

/// The latest row per (view, entity) in memory, decoded in the view's current feature order,
/// so an online read is dictionary lookups under one lock. The online table is its durable
/// copy: every change is committed there first, and ``load(view:_:)`` rebuilds it at start.
public final class OnlineStore: Sendable {
  /// One entity's current row.
  public struct Entry: Sendable {
    public var row: StoredRow
    public var values: [FeatureData]
  }

  struct ViewEntries {
    var definition: FeatureViewDefinition
    var entries: [String: Entry] = [:]
  }

  private let views = Mutex<[String: ViewEntries]>([:])

  public init() {}

  /// Replaces what is held for `definition.name` with `rows` (startup, or a forced reset).
  func load(_ definition: FeatureViewDefinition, _ rows: [String: StoredRow]) {
    var entries = ViewEntries(definition: definition)
    entries.entries.reserveCapacity(rows.count)
    for (key, row) in rows { entries.entries[key] = Entry(row: row, values: Self.decode(row, definition)) }
    views.withLock { $0[definition.name] = entries }
  }

  /// Adopts a new version of a view: held rows are re-read in its feature order.
  func redefine(_ definition: FeatureViewDefinition) {
    views.withLock { views in
      var entries = views[definition.name] ?? ViewEntries(definition: definition)
      entries.definition = definition
      for (key, entry) in entries.entries {
        entries.entries[key]?.values = Self.decode(entry.row, definition)
      }
      views[definition.name] = entries
    }
  }

  func remove(view: String) {
    _ = views.withLock { $0.removeValue(forKey: view) }
  }

  /// The rows of `candidates` that would change the online value: later than what is held
  /// (``StoredRow/supersedes(_:)``) and not an identical copy of it. At most one per entity,
  /// the batch's own winner.
  func changes(view: String, _ candidates: [StoredRow]) -> [StoredRow] {
    var winners: [String: StoredRow] = [:]
    var order: [String] = []
    for row in candidates {
      if let current = winners[row.entity] {
        if row.supersedes(current) { winners[row.entity] = row }
      } else {
        winners[row.entity] = row
        order.append(row.entity)
      }
    }
    return views.withLock { views in
      let held = views[view]?.entries
      return order.compactMap { key in
        let row = winners[key]!
        guard let current = held?[key]?.row else { return row }
        return row.supersedes(current) && !Self.same(row, current) ? row : nil
      }
    }
  }

  /// Applies committed rows by the same rule, so concurrent writers converge on the row the
  /// online table kept.
  func apply(view: String, _ rows: [StoredRow]) {
    guard !rows.isEmpty else { return }
    views.withLock { views in
      guard var entries = views[view] else { return }
      views[view] = nil  // edit in place, without copying the dictionary
      for row in rows {
        if let current = entries.entries[row.entity]?.row, !row.supersedes(current) { continue }
        entries.entries[row.entity] = Entry(row: row, values: Self.decode(row, entries.definition))
      }
      views[view] = entries
    }
  }

  /// The held rows of `keys` in `view`, in order (nil where none).
  func lookup(view: String, _ keys: [String]) -> [Entry?] {
    views.withLock { views in
      guard let entries = views[view]?.entries else { return Array(repeating: nil, count: keys.count) }
      return keys.map { entries[$0] }
    }
  }

  /// Up to `limit` held rows of `view` (all when `limit` is 0), in random order.
  func sample(view: String, limit: Int) -> [Entry] {
    let all = views.withLock { Array(($0[view]?.entries ?? [:]).values) }
    guard limit > 0, limit < all.count else { return all }
    return Array(all.shuffled().prefix(limit))
  }

  func count(view: String) -> Int { views.withLock { $0[view]?.entries.count ?? 0 } }

  static func same(_ a: StoredRow, _ b: StoredRow) -> Bool {
    a.eventTime == b.eventTime && a.createdTime == b.createdTime && a.payload == b.payload
  }

  static func decode(_ row: StoredRow, _ definition: FeatureViewDefinition) -> [FeatureData] {
    (try? FeaturePayload.decode(row.payload, names: definition.featureNames, types: definition.featureTypes))
      ?? Array(repeating: .null, count: definition.features.count)
  }
}
