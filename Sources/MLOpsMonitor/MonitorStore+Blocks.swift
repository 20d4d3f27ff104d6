import Foundation
import MLOpsCore

/// Reading predictions back from their blocks: counts and times by block bounds, values by
/// decoding only the blocks a window overlaps.
extension MonitorStore {
  /// How many of a monitor's predictions a sequence range holds, the last one's sequence and
  /// the range's time bounds.
  struct Span: Sendable {
    var count: Int64 = 0
    var last: Int64 = 0
    var minTime = Int64.max
    var maxTime = Int64.min

    /// The earliest time, or 0 for an empty range.
    var firstTime: Int64 { count > 0 ? minTime : 0 }

    mutating func include(time: Int64) { include(min: time, max: time) }

    mutating func include(min low: Int64, max high: Int64) {
      (minTime, maxTime) = (Swift.min(minTime, low), Swift.max(maxTime, high))
    }
  }

  /// The span of `monitor`'s predictions with sequence in (after, through]. Blocks wholly
  /// inside count by their stored bounds; only a block the range cuts is decoded, for its
  /// times.
  func span(monitor: String, after: Int64, through: Int64 = .max) async throws -> Span {
    try await sql.read { c in
      try await c.scan(
        """
        SELECT first_seq, last_seq, min_time, max_time, CASE WHEN first_seq <= ? OR last_seq > ? THEN data END
        FROM prediction_blocks WHERE monitor = ? AND last_seq > ? AND first_seq <= ?
        """, [.int(after), .int(through), .text(monitor), .int(after), .int(through)], into: Span()
      ) { span, row in
        let (first, last) = (row[0].int, row[1].int)
        let rows = max(first, after + 1)...min(last, through)
        span.count += Int64(rows.count)
        span.last = max(span.last, rows.upperBound)
        guard !row[4].isNull else { return span.include(min: row[2].int, max: row[3].int) }
        try row[4].blob.withUnsafeBytes { raw in
          var block = try PredictionBlock.Reader(raw, monitor: monitor)
          let times = block.times()
          for seq in rows where Int(seq - first) < times.count { span.include(time: times[Int(seq - first)]) }
        }
      }
    }
  }

  /// A window's monitored values column by column, each row with its label if one arrived,
  /// decoded block by block into the columns. Labels only serve performance, which needs a
  /// prediction column: without one, no row looks its label up.
  public func columns(of window: WindowRecord, monitor: MonitorDefinition) async throws -> WindowColumns {
    let labels = monitor.predictionColumn != nil
    let (first, last) = (window.firstSequence, window.lastSequence)
    var (columns, ids) = try await sql.read { c in
      try await c.scan(
        """
        SELECT b.first_seq, b.format, b.data, p.payload, p.latency_ms, p.request_id
        FROM prediction_blocks b LEFT JOIN predictions p ON b.format = 0 AND p.seq = b.first_seq
        WHERE b.monitor = ? AND b.last_seq >= ? AND b.first_seq <= ? ORDER BY b.last_seq
        """, [.text(window.monitor), .int(first), .int(last)], into: (WindowColumns(monitor: monitor), [String]())
      ) { state, row in
        guard row[1].int != 0 else {
          // A prediction stored before blocks: one row of the legacy table.
          state.0.append(payload: row[3].blob, label: .missing, latency: row[4].double ?? 0)
          if labels { state.1.append(row[5].text) }
          return
        }
        let start = row[0].int
        try row[2].blob.withUnsafeBytes { raw in
          var block = try PredictionBlock.Reader(raw, monitor: window.monitor)
          let rows = Int(max(first, start) - start)..<Int(min(last - start + 1, Int64(block.count)))
          state.1 += state.0.append(block: &block, rows: rows, ids: labels)
        }
      }
    }
    if labels { try await attachLabels(&columns, requestIDs: ids, monitor: window.monitor) }
    return columns
  }

  /// Looks the rows' labels up by request id, a chunk of ids per query.
  private func attachLabels(_ columns: inout WindowColumns, requestIDs: [String], monitor: String) async throws {
    for start in stride(from: 0, to: requestIDs.count, by: Self.insertChunk) {
      let chunk = Array(requestIDs[start..<min(start + Self.insertChunk, requestIDs.count)])
      let marks = Placeholders.list(chunk.count)
      let found = try await sql.read { c in
        try await c.query(
          "SELECT request_id, label FROM labels WHERE monitor = ? AND request_id IN (\(marks))", [.text(monitor)] + chunk.map { .text($0) })
      }
      guard !found.isEmpty else { continue }
      let labels = Dictionary(found.map { ($0[0].text, ValueCodec.decodeValue($0[1].blob)) }, uniquingKeysWith: { a, _ in a })
      for (offset, id) in chunk.enumerated() {
        if let label = labels[id] { columns.setLabel(label, row: start + offset) }
      }
    }
  }
}
