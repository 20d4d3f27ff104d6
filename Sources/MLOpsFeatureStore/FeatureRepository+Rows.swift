import Foundation
import MLOpsCore

/// The offline log and the online table.
extension FeatureRepository {
  /// Rows per multi-row INSERT: 5 binds each keeps a statement well under both backends'
  /// parameter limits while amortising the per-statement cost.
  static let rowsPerStatement = 200

  /// Appends `offline` to the log and applies `online` (at most one row per entity) to the
  /// online table, in one transaction. The upsert keeps a newer stored row, so replicas
  /// sharing PostgreSQL cannot move a value backwards.
  /// - Returns: the change number the online rows were stamped with, if any.
  @discardableResult
  public func write(view: String, offline: [StoredRow], online: [StoredRow]) async throws -> Int64? {
    guard !offline.isEmpty || !online.isEmpty else { return nil }
    return try await sql.transaction { c in
      let change = online.isEmpty ? nil : try await Self.nextChange(c)
      try await c.executeAll(
        Self.inserts(view: view, offline, into: "offline_rows", suffix: "", change: nil)
          + (change.map { Self.inserts(view: view, online, into: "online_rows", suffix: Self.onlineUpsert, change: $0) } ?? []))
      return change
    }
  }

  /// The next change number, taken under the counter row's lock: a transaction that writes
  /// online rows holds it until it commits, so change numbers become visible in order and a
  /// replica following `change_seq` never skips one.
  static func nextChange(_ c: any SQLConnection) async throws -> Int64 {
    try await c.query("UPDATE online_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq", [])[0][0].int
  }

  static let onlineUpsert = """
     ON CONFLICT (view_name, entity) DO UPDATE SET event_time = excluded.event_time,
     created_time = excluded.created_time, payload = excluded.payload, change_seq = excluded.change_seq
     WHERE (excluded.event_time > online_rows.event_time
     OR (excluded.event_time = online_rows.event_time AND excluded.created_time >= online_rows.created_time))
    """

  /// Multi-row inserts; online rows also carry their transaction's change number.
  static func inserts(view: String, _ rows: [StoredRow], into table: String, suffix: String, change: Int64?) -> [(
    sql: String, binds: [SQLValue]
  )] {
    let columns = "view_name, entity, event_time, created_time, payload" + (change == nil ? "" : ", change_seq")
    let tuple = change == nil ? "(?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)"
    return stride(from: 0, to: rows.count, by: rowsPerStatement).map { start in
      let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
      var binds: [SQLValue] = []
      binds.reserveCapacity(chunk.count * 6)
      for row in chunk {
        binds += [.text(view), .text(row.entity), .int(row.eventTime), .int(row.createdTime), .blob(row.payload)]
        if let change { binds.append(.int(change)) }
      }
      let placeholders = Array(repeating: tuple, count: chunk.count).joined(separator: ", ")
      return (sql: "INSERT INTO \(table) (\(columns)) VALUES \(placeholders)\(suffix)", binds: binds)
    }
  }

  /// Every online row of `view` by entity (startup load, or a reload), folded as it is read.
  public func onlineRows(view: String) async throws -> [String: StoredRow] {
    try await sql.read { c in
      try await c.scan(
        "SELECT entity, event_time, created_time, payload FROM online_rows WHERE view_name = ?", [.text(view)], into: [String: StoredRow]()
      ) { rows, cells in
        rows[cells[0].text] = StoredRow(entity: cells[0].text, eventTime: cells[1].int, createdTime: cells[2].int, payload: cells[3].blob)
      }
    }
  }

  /// Offline rows of each entity in `lookups` with event time in [from, to], in
  /// point-in-time order, read in one database access.
  public func history(view: String, _ lookups: [(entity: String, from: Int64, to: Int64)]) async throws -> [String: [StoredRow]] {
    let results = try await sql.read { c in
      try await c.queryEach(
        """
        SELECT event_time, created_time, seq, payload FROM offline_rows
        WHERE view_name = ? AND entity = ? AND event_time >= ? AND event_time <= ?
        ORDER BY event_time, created_time, seq
        """, lookups.map { [.text(view), .text($0.entity), .int($0.from), .int($0.to)] })
    }
    var out: [String: [StoredRow]] = [:]
    out.reserveCapacity(lookups.count)
    for (lookup, rows) in zip(lookups, results) {
      out[lookup.entity] = rows.map {
        StoredRow(entity: lookup.entity, eventTime: $0[0].int, createdTime: $0[1].int, payload: $0[3].blob, seq: $0[2].int)
      }
    }
    return out
  }

  /// Copies, per entity, the point-in-time latest offline row with event time in [start, end)
  /// into the online table where it supersedes the stored row and differs from it, in one
  /// statement: no row crosses into Swift except the ones that changed, which are returned
  /// with the change number they carry.
  public func materialize(view: String, start: Int64, end: Int64) async throws -> ([StoredRow], Int64) {
    try await sql.transaction { c in
      let change = try await Self.nextChange(c)
      let rows = try await c.query(
        """
        INSERT INTO online_rows (view_name, entity, event_time, created_time, payload, change_seq)
        SELECT view_name, entity, event_time, created_time, payload, ? FROM (
          SELECT view_name, entity, event_time, created_time, payload, ROW_NUMBER() OVER (
            PARTITION BY entity ORDER BY event_time DESC, created_time DESC, seq DESC) AS recency
          FROM offline_rows WHERE view_name = ? AND event_time >= ? AND event_time < ?) ranked
        WHERE recency = 1
        \(Self.onlineUpsert)
        AND (excluded.event_time <> online_rows.event_time OR excluded.created_time <> online_rows.created_time
          OR excluded.payload <> online_rows.payload)
        RETURNING entity, event_time, created_time, payload
        """, [.int(change), .text(view), .int(start), .int(end)]
      ).map { StoredRow(entity: $0[0].text, eventTime: $0[1].int, createdTime: $0[2].int, payload: $0[3].blob) }
      return (rows, change)
    }
  }

  /// The last change number committed.
  public func lastChange() async throws -> Int64 {
    try await sql.read { c in try await c.first("SELECT seq FROM online_changes WHERE id = 1", [])?[0].int ?? 0 }
  }

  /// Online rows whose latest write was by a transaction numbered in (after, through]. A row
  /// written again later shows up at its newer number instead, which is what a follower needs.
  public func onlineChanges(after: Int64, through: Int64) async throws -> [(view: String, row: StoredRow, change: Int64)] {
    try await sql.read { c in
      try await c.query(
        """
        SELECT view_name, entity, event_time, created_time, payload, change_seq FROM online_rows
        WHERE change_seq > ? AND change_seq <= ? ORDER BY change_seq
        """, [.int(after), .int(through)]
      ).map { ($0[0].text, StoredRow(entity: $0[1].text, eventTime: $0[2].int, createdTime: $0[3].int, payload: $0[4].blob), $0[5].int) }
    }
  }

  public func watermark(view: String) async throws -> Int64? {
    try await sql.read { c in try await c.first("SELECT watermark FROM watermarks WHERE view_name = ?", [.text(view)])?[0].int }
  }

  public func setWatermark(view: String, _ value: Int64) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO watermarks (view_name, watermark) VALUES (?, ?) ON CONFLICT (view_name) DO UPDATE SET watermark = excluded.watermark",
        [.text(view), .int(value)])
    }
  }
}
