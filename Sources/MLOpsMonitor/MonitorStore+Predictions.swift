import Foundation
import MLOpsCore

/// Predictions, labels and windows.
extension MonitorStore {
  /// Request ids per multi-row statement: two parameters each stays under both backends' limits.
  static let insertChunk = 500

  /// Appends blocks in one transaction: acknowledged together. Each block takes the next
  /// sequence numbers of its monitor from the monitor's counter row (locked until commit on
  /// PostgreSQL; SQLite has one writer), so a monitor's sequences run on without gaps or
  /// duplicates however many processes write.
  func append(_ blocks: [PredictionBlock]) async throws {
    var statements: [(sql: String, binds: [SQLValue])] = []
    for block in blocks where block.count > 0 {
      let monitor = SQLValue.text(block.monitor)
      statements.append(
        (
          """
          INSERT INTO prediction_counters (monitor, last_seq) VALUES (?, ?)
          ON CONFLICT (monitor) DO UPDATE SET last_seq = prediction_counters.last_seq + excluded.last_seq
          """, [monitor, .int(Int64(block.count))]
        ))
      statements.append(
        (
          """
          INSERT INTO prediction_blocks (monitor, first_seq, last_seq, rows, min_time, max_time, format, data)
          SELECT ?, last_seq - ?, last_seq, ?, ?, ?, 1, ? FROM prediction_counters WHERE monitor = ?
          """,
          [
            monitor, .int(Int64(block.count - 1)), .int(Int64(block.count)), .int(block.minTime), .int(block.maxTime), .blob(block.data),
            monitor,
          ]
        ))
      for start in stride(from: 0, to: block.count, by: Self.insertChunk) {
        let rows = start..<min(start + Self.insertChunk, block.count)
        var binds: [SQLValue] = [monitor]
        binds.reserveCapacity(rows.count * 2 + 2)
        for row in rows { binds += [.text(block.requestIDs[row]), .int(Int64(block.count - 1 - row))] }
        binds.append(monitor)
        let values = Array(repeating: "(?, ?)", count: rows.count).joined(separator: ", ")
        statements.append(
          (
            """
            INSERT INTO prediction_ids (monitor, request_id, seq)
            SELECT ?, v.column1, c.last_seq - v.column2 FROM (VALUES \(values)) AS v, prediction_counters c WHERE c.monitor = ?
            """, binds
          ))
      }
    }
    guard !statements.isEmpty else { return }
    try await sql.write(statements)
  }

  /// The closed windows of `monitor` holding predictions with these request ids.
  public func windows(monitor: String, requestIDs: [String]) async throws -> [WindowRecord] {
    var windows: [String: WindowRecord] = [:]
    for start in stride(from: 0, to: requestIDs.count, by: Self.insertChunk) {
      let chunk = requestIDs[start..<min(start + Self.insertChunk, requestIDs.count)]
      let marks = Placeholders.list(chunk.count)
      let found = try await sql.read { c in
        try await c.query(
          """
          SELECT DISTINCT \(Self.windowColumns("w")) FROM prediction_ids p
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
        let marks = Placeholders.list(ids.count)
        let found = Set(
          try await c.query(
            "SELECT DISTINCT request_id FROM prediction_ids WHERE monitor = ? AND request_id IN (\(marks))",
            [.text(monitor)] + ids.map { .text($0) }
          ).map { $0[0].text })
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
    let closed = try await sql.read { c in
      try await c.first("SELECT MAX(last_seq), MAX(number) FROM windows WHERE monitor = ?", [.text(monitor)]) ?? [.null, .null]
    }
    let after = closed[0].int
    let open = try await span(monitor: monitor, after: after)
    return OpenWindow(
      after: after, nextNumber: closed[1].int + 1, watermark: open.count > 0 ? open.last : after, count: open.count,
      firstTime: open.firstTime)
  }

  /// Predictions of `monitor` stored after sequence `watermark`: how many, the last sequence
  /// and the earliest time.
  public func newPredictions(monitor: String, after watermark: Int64) async throws -> (count: Int64, last: Int64, firstTime: Int64) {
    let new = try await span(monitor: monitor, after: watermark)
    return (new.count, new.count > 0 ? new.last : watermark, new.firstTime)
  }

  /// The earliest time among `monitor`'s predictions with sequence in (after, through].
  public func firstTime(monitor: String, after: Int64, through: Int64) async throws -> Int64 {
    try await span(monitor: monitor, after: after, through: through).firstTime
  }

  /// The sequence of the `offset`-th (0-based) prediction of `monitor` after `after`: walks
  /// block bounds, never rows.
  public func sequence(monitor: String, after: Int64, offset: Int64) async throws -> Int64? {
    try await sql.read { c in
      try await c.scan(
        "SELECT first_seq, last_seq FROM prediction_blocks WHERE monitor = ? AND last_seq > ? ORDER BY last_seq LIMIT ?",
        [.text(monitor), .int(after), .int(offset + 1)], into: (remaining: offset, found: Int64?.none)
      ) { state, row in
        guard state.found == nil else { return }
        let first = max(row[0].int, after + 1)
        let rows = row[1].int - first + 1
        if state.remaining < rows { state.found = first + state.remaining } else { state.remaining -= rows }
      }.found
    }
  }

  /// Records a closed window (its bounds computed from its predictions) and returns it.
  public func closeWindow(monitor: String, number: Int64, after: Int64, through last: Int64) async throws -> WindowRecord {
    let bounds = try await span(monitor: monitor, after: after, through: last)
    let window = WindowRecord(
      windowID: "\(monitor):\(number)", monitor: monitor, number: number, firstSequence: after + 1, lastSequence: last,
      rows: bounds.count, startTime: bounds.firstTime, endTime: bounds.count > 0 ? bounds.maxTime : 0)
    try await sql.write([
      (
        "INSERT INTO windows (window_id, monitor, number, first_seq, last_seq, rows, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
          .text(window.windowID), .text(monitor), .int(number), .int(window.firstSequence), .int(last), .int(window.rows),
          .int(window.startTime), .int(window.endTime),
        ]
      )
    ])
    return window
  }

  public func window(_ id: String) async throws -> WindowRecord? {
    try await sql.read { c in
      try await c.first("SELECT \(Self.windowColumns("windows")) FROM windows WHERE window_id = ?", [.text(id)]).map(Self.window)
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
