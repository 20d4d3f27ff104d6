import Foundation

/// GetHistoricalFeatures: the point-in-time join.
extension FeatureEngine {
  /// Entity rows joined per chunk, so memory beyond the request is one chunk's offline rows.
  public static let historicalChunk = 4096

  /// For each entity row and view, the offline row with the latest (event time, created
  /// time, arrival) among those with event time ≤ the row's time, event time ≥ that time − TTL
  /// and created time ≤ the row's time. Rows are answered in chunks, grouped by entity;
  /// each result names its row index.
  /// - Throws: INVALID_ARGUMENT naming `entity_rows[i].<join key>` before anything is emitted.
  public func historicalFeatures(
    _ references: [FeatureReference], rows: [EntityTimeRow], emit: ([HistoricalResult]) async throws -> Void
  ) async throws {
    guard !rows.isEmpty else { throw FeatureStoreError.invalidArgument(field: "entity_rows", reason: "give at least one entity row") }
    let plan = try plan(references)
    let keys = try plan.map { step in
      try rows.enumerated().map { try EntityKey.make($1.key, keys: step.view.joinKeys, field: "entity_rows[\($0)].entity_key") }
    }
    let order = Self.grouped(keys[0])
    // Each chunk is joined while the previous one is encoded and sent.
    let chunks = stride(from: 0, to: order.count, by: Self.historicalChunk).map { order[$0..<min($0 + Self.historicalChunk, order.count)] }
    var next: Task<[HistoricalResult], any Error>? = Task {
      try await self.join(chunks[0], plan: plan, keys: keys, rows: rows, width: references.count)
    }
    for index in chunks.indices {
      guard let pending = next else { break }
      let results = try await pending.value
      next =
        index + 1 < chunks.count
        ? Task { try await self.join(chunks[index + 1], plan: plan, keys: keys, rows: rows, width: references.count) } : nil
      do {
        try await emit(results)
      } catch {
        next?.cancel()
        throw error
      }
    }
  }

  typealias Plan = [(view: FeatureViewDefinition, columns: [(answer: Int, feature: Int)])]

  /// One chunk of entity rows joined with every view of the plan.
  func join(_ chunk: ArraySlice<Int>, plan: Plan, keys: [[String]], rows: [EntityTimeRow], width: Int) async throws -> [HistoricalResult] {
    var results = chunk.map { HistoricalResult(rowIndex: $0, values: Array(repeating: .notFound, count: width)) }
    for (step, (view, columns)) in plan.enumerated() {
      let found = try await join(view: view, rows: chunk.map { (keys[step][$0], rows[$0].time) })
      for (position, row) in found.enumerated() {
        guard let row else { continue }
        let values = view.values(of: row)
        for column in columns { results[position].values[column.answer] = .stored(values[column.feature], at: row.eventTime) }
      }
    }
    return results
  }

  /// Row indices with equal keys next to each other (first-seen key order), in linear time,
  /// so each chunk reads each of its entities' history once.
  static func grouped(_ keys: [String]) -> [Int] {
    var ids: [String: Int] = [:]
    var group = [Int](repeating: 0, count: keys.count)
    var sizes: [Int] = []
    for (row, key) in keys.enumerated() {
      if let id = ids[key] {
        group[row] = id
        sizes[id] += 1
      } else {
        group[row] = sizes.count
        ids[key] = sizes.count
        sizes.append(1)
      }
    }
    var next = [Int](repeating: 0, count: sizes.count)
    var start = 0
    for (id, size) in sizes.enumerated() {
      next[id] = start
      start += size
    }
    var order = [Int](repeating: 0, count: keys.count)
    for (row, id) in group.enumerated() {
      order[next[id]] = row
      next[id] += 1
    }
    return order
  }

  /// The point-in-time row of each (entity, time), reading each distinct entity's rows once.
  func join(view: FeatureViewDefinition, rows: [(entity: String, time: Int64)]) async throws -> [StoredRow?] {
    var bounds: [String: (from: Int64, to: Int64)] = [:]
    for row in rows {
      let from = view.ttlMicroseconds > 0 ? row.time - view.ttlMicroseconds : Int64.min
      let current = bounds[row.entity] ?? (from, row.time)
      bounds[row.entity] = (min(current.from, from), max(current.to, row.time))
    }
    let history = try await repository.history(view: view.name, bounds.map { ($0.key, $0.value.from, $0.value.to) })
    return rows.map { row in Self.pointInTime(history[row.entity] ?? [], at: row.time, ttl: view.ttlMicroseconds) }
  }

  /// The last row of `history` (in point-in-time order) visible at `time`.
  static func pointInTime(_ history: [StoredRow], at time: Int64, ttl: Int64) -> StoredRow? {
    var low = 0
    var high = history.count
    while low < high {
      let mid = (low + high) / 2
      if history[mid].eventTime <= time { low = mid + 1 } else { high = mid }
    }
    var index = low - 1
    while index >= 0 {
      let row = history[index]
      if ttl > 0, row.eventTime < time - ttl { return nil }
      if row.createdTime <= time { return row }
      index -= 1
    }
    return nil
  }
}
