import Foundation
import MLOpsCore

/// Predictions, labels and windows.
extension MonitorStore {
  /// Rows per multi-row INSERT: 8 parameters each stays under both backends' limits.
  static let insertChunk = 500

  /// Appends predictions, each for one monitor with its encoded values, in one transaction:
  /// acknowledged together.
  func append(_ records: [(monitor: String, prediction: Prediction, payload: Data)]) async throws {
    guard !records.isEmpty else { return }
    let statements = stride(from: 0, to: records.count, by: Self.insertChunk).map { start in
      let chunk = records[start..<min(start + Self.insertChunk, records.count)]
      let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
      var binds: [SQLValue] = []
      binds.reserveCapacity(chunk.count * 7)
      for (monitor, p, payload) in chunk {
        binds += [
          .text(monitor), .text(p.requestID), .int(p.time), .double(p.latencyMilliseconds), .text(p.variant),
          .int(p.modelVersion), .blob(payload),
        ]
      }
      return (sql: "INSERT INTO predictions (monitor, request_id, time, latency_ms, variant, model_version, payload) VALUES \(placeholders)", binds: binds)
    }
    try await sql.write(statements)
  }

  /// The closed windows of `monitor` holding predictions with these request ids.
  public func windows(monitor: String, requestIDs: [String]) async throws -> [WindowRecord] {
    var windows: [String: WindowRecord] = [:]
    for start in stride(from: 0, to: requestIDs.count, by: Self.insertChunk) {
      let chunk = requestIDs[start..<min(start + Self.insertChunk, requestIDs.count)]
      let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
      let found = try await sql.read { c in
        try await c.query(
          """
          SELECT DISTINCT \(Self.windowColumns("w")) FROM predictions p
          JOIN windows w ON w.monitor = p.monitor AND p.seq >= w.first_seq AND p.seq <= w.last_seq
          WHERE p.monitor = ? AND p.request_id IN (\(marks))
          """, [.text(monitor)] + chunk.map { .text($0) }
        ).map(Self.window)
      }
      for window in found { windows[window.windowID] = window }
    }
    return windows.values.sorted { $0.number < $1.number }
  }

  /// The columns ``window(_:)`` reads, qualified by `table`.
  static func windowColumns(_ table: String) -> String {
    ["window_id", "monitor", "number", "first_seq", "last_seq", "rows", "start_time", "end_time"].map { "\(table).\($0)" }
      .joined(separator: ", ")
  }

  static func window(_ row: [SQLValue]) -> WindowRecord {
    WindowRecord(
      windowID: row[0].text, monitor: row[1].text, number: row[2].int, firstSequence: row[3].int, lastSequence: row[4].int,
      rows: row[5].int, startTime: row[6].int, endTime: row[7].int)
  }

  /// Stores labels (a later label for a request replaces an earlier one) and answers how
  /// many matched a logged prediction.
  public func label(monitor: String, _ labels: [(requestID: String, label: FieldValue, time: Int64)]) async throws -> Int {
    try await sql.transaction { c in
      var matched = 0
      var start = 0
      while start < labels.count {
        let chunk = labels[start..<min(start + Self.insertChunk, labels.count)]
        let ids = Set(chunk.map(\.requestID))
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let found = Set(try await c.query(
          "SELECT DISTINCT request_id FROM predictions WHERE monitor = ? AND request_id IN (\(marks))",
          [.text(monitor)] + ids.map { .text($0) }).map { $0[0].text })
        matched += chunk.count { found.contains($0.requestID) }
        for item in chunk {
          try await c.execute(
            """
            INSERT INTO labels (monitor, request_id, label, time) VALUES (?, ?, ?, ?)
            ON CONFLICT (monitor, request_id) DO UPDATE SET label = excluded.label, time = excluded.time
            """, [.text(monitor), .text(item.requestID), .blob(ValueCodec.encode(item.label)), .int(item.time)])
        }
        start += Self.insertChunk
      }
      return matched
    }
  }

  /// The open window of `monitor` as storage has it (read once per process and monitor; the
  /// engine keeps it current from then on).
  public func openWindow(monitor: String) async throws -> OpenWindow {
    try await sql.read { c in
      let closed = try await c.first("SELECT MAX(last_seq), MAX(number) FROM windows WHERE monitor = ?", [.text(monitor)]) ?? [.null, .null]
      let open = try await c.first(
        "SELECT COUNT(*), MIN(time), MAX(seq) FROM predictions WHERE monitor = ? AND seq > ?", [.text(monitor), .int(closed[0].int)]
      ) ?? [0, .null, .null]
      let after = closed[0].int
      return OpenWindow(after: after, nextNumber: closed[1].int + 1, watermark: open[2].isNull ? after : open[2].int, count: open[0].int, firstTime: open[1].int)
    }
  }

  /// Predictions of `monitor` stored after sequence `watermark`: how many, the last sequence
  /// and the earliest time.
  public func newPredictions(monitor: String, after watermark: Int64) async throws -> (count: Int64, last: Int64, firstTime: Int64) {
    try await sql.read { c in
      let row = try await c.first(
        "SELECT COUNT(*), MAX(seq), MIN(time) FROM predictions WHERE monitor = ? AND seq > ?", [.text(monitor), .int(watermark)]
      ) ?? [0, .null, .null]
      return (row[0].int, row[1].isNull ? watermark : row[1].int, row[2].int)
    }
  }

  /// The earliest time among `monitor`'s predictions with sequence in (after, through].
  public func firstTime(monitor: String, after: Int64, through: Int64) async throws -> Int64 {
    try await sql.read { c in
      try await c.first("SELECT MIN(time) FROM predictions WHERE monitor = ? AND seq > ? AND seq <= ?", [.text(monitor), .int(after), .int(through)])?[0].int ?? 0
    }
  }

  /// The sequence of the `offset`-th (0-based) prediction of `monitor` after `after`.
  public func sequence(monitor: String, after: Int64, offset: Int64) async throws -> Int64? {
    try await sql.read { c in
      try await c.first(
        "SELECT seq FROM predictions WHERE monitor = ? AND seq > ? ORDER BY seq LIMIT 1 OFFSET ?", [.text(monitor), .int(after), .int(offset)]
      ).map { $0[0].int }
    }
  }

  /// Records a closed window (its bounds computed from its predictions) and returns it.
  public func closeWindow(monitor: String, number: Int64, after: Int64, through last: Int64) async throws -> WindowRecord {
    try await sql.transaction { c in
      let bounds = try await c.first(
        "SELECT COUNT(*), MIN(time), MAX(time) FROM predictions WHERE monitor = ? AND seq > ? AND seq <= ?",
        [.text(monitor), .int(after), .int(last)]) ?? [0, 0, 0]
      let window = WindowRecord(
        windowID: "\(monitor):\(number)", monitor: monitor, number: number, firstSequence: after + 1, lastSequence: last,
        rows: bounds[0].int, startTime: bounds[1].int, endTime: bounds[2].int)
      try await c.execute(
        "INSERT INTO windows (window_id, monitor, number, first_seq, last_seq, rows, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [.text(window.windowID), .text(monitor), .int(number), .int(window.firstSequence), .int(last), .int(window.rows),
         .int(window.startTime), .int(window.endTime)])
      return window
    }
  }

  public func window(_ id: String) async throws -> WindowRecord? {
    try await sql.read { c in
      try await c.first("SELECT \(Self.windowColumns("windows")) FROM windows WHERE window_id = ?", [.text(id)]).map(Self.window)
    }
  }

  /// A window's monitored values column by column, each row with its label if one arrived,
  /// streamed from storage into the columns. Labels only serve performance, which needs a
  /// prediction column: without one, no row looks its label up.
  public func columns(of window: WindowRecord, monitor: MonitorDefinition) async throws -> WindowColumns {
    let labels = monitor.predictionColumn != nil
    let query =
      labels
      ? """
        SELECT p.payload, p.latency_ms, l.label
        FROM predictions p LEFT JOIN labels l ON l.monitor = p.monitor AND l.request_id = p.request_id
        WHERE p.monitor = ? AND p.seq >= ? AND p.seq <= ? ORDER BY p.seq
        """
      : "SELECT payload, latency_ms FROM predictions WHERE monitor = ? AND seq >= ? AND seq <= ? ORDER BY seq"
    return try await sql.read { c in
      try await c.scan(
        query, [.text(window.monitor), .int(window.firstSequence), .int(window.lastSequence)], into: WindowColumns(monitor: monitor)
      ) { columns, row in
        let label = labels && !row[2].isNull ? ValueCodec.decodeValue(row[2].blob) : .missing
        columns.append(payload: row[0].blob, label: label, latency: row[1].double ?? 0)
      }
    }
  }
}

extension MonitorStore {
  /// Windows closed but without a report: their evaluation was lost to a restart.
  public func unevaluatedWindows() async throws -> [WindowRecord] {
    try await sql.read { c in
      try await c.query(
        """
        SELECT \(Self.windowColumns("w")) FROM windows w
        WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.window_id = w.window_id) ORDER BY w.monitor, w.number
        """, []
      ).map(Self.window)
    }
  }
}
