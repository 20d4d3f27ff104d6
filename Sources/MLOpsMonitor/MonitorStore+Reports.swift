import Foundation
import MLOpsCore

/// Drift reports and alerts.
extension MonitorStore {
  public func save(_ report: DriftResult) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO reports (report_id, monitor, window_id, computed_time, doc) VALUES (?, ?, ?, ?, ?)",
        [.text(report.reportID), .text(report.monitor), .text(report.windowID), .int(report.computedTime), try .json(report)])
    }
  }

  public func report(_ id: String) async throws -> DriftResult? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM reports WHERE report_id = ?", [.text(id)]).map { try $0[0].decoded(DriftResult.self) }
    }
  }

  /// Reports of `monitor` computed in [start, end), newest first, strictly before the
  /// (time, id) cursor.
  public func reports(monitor: String, start: Int64, end: Int64, before: (Int64, String)?, limit: Int) async throws -> [DriftResult] {
    let (time, id) = before ?? (Int64.max, "")
    return try await sql.read { c in
      try await c.query(
        """
        SELECT doc FROM reports WHERE monitor = ? AND computed_time >= ? AND computed_time < ?
          AND (computed_time < ? OR (computed_time = ? AND report_id < ?))
        ORDER BY computed_time DESC, report_id DESC LIMIT ?
        """,
        [.text(monitor), .int(start), .int(end), .int(time), .int(time), .text(before == nil ? "\u{10FFFF}" : id), .int(Int64(limit))]
      ).map { try $0[0].decoded(DriftResult.self) }
    }
  }

  /// The reports of closed windows of `monitor`, oldest first: the series control charts plot.
  public func windowReports(monitor: String) async throws -> [DriftResult] {
    try await sql.read { c in
      try await c.query(
        "SELECT doc FROM reports WHERE monitor = ? AND window_id <> '' ORDER BY computed_time, report_id", [.text(monitor)]
      ).map { try $0[0].decoded(DriftResult.self) }
    }
  }

  /// The newest report of a closed window.
  public func latestReport(window id: String) async throws -> DriftResult? {
    try await sql.read { c in
      try await c.first(
        "SELECT doc FROM reports WHERE window_id = ? ORDER BY computed_time DESC, report_id DESC LIMIT 1", [.text(id)]
      ).map { try $0[0].decoded(DriftResult.self) }
    }
  }

  /// Replaces a stored report's document (its performance, once labels arrive).
  public func replace(_ report: DriftResult) async throws {
    try await sql.transaction { c in
      try await c.execute("UPDATE reports SET doc = ? WHERE report_id = ?", [try .json(report), .text(report.reportID)])
    }
  }

  // MARK: Alerts

  /// Inserts `alert` unless one with its key is still open or was raised within `cooldown`
  /// milliseconds; answers whether it was inserted.
  public func raise(_ alert: AlertRecord, cooldown: Int64) async throws -> Bool {
    try await sql.transaction { c in
      let blocking = try await c.first(
        "SELECT 1 FROM alerts WHERE monitor = ? AND dedup_key = ? AND (state = ? OR created_time > ?) LIMIT 1",
        [.text(alert.monitor), .text(alert.dedupKey), .int(Int64(AlertRecord.State.open.rawValue)), .int(alert.createdTime - cooldown)])
      guard blocking == nil else { return false }
      try await c.execute(
        "INSERT INTO alerts (alert_id, monitor, dedup_key, state, created_time, doc) VALUES (?, ?, ?, ?, ?, ?)",
        [
          .text(alert.alertID), .text(alert.monitor), .text(alert.dedupKey), .int(Int64(alert.state.rawValue)),
          .int(alert.createdTime), try .json(alert),
        ])
      return true
    }
  }

  /// Applies `change` to a stored alert in one transaction.
  public func modifyAlert(_ id: String, _ change: @Sendable @escaping (inout AlertRecord) throws -> Void) async throws -> AlertRecord {
    try await sql.transaction { c in
      guard let row = try await c.first("SELECT doc FROM alerts WHERE alert_id = ?", [.text(id)]) else {
        throw MonitorError.alertNotFound(id)
      }
      var alert = try row[0].decoded(AlertRecord.self)
      try change(&alert)
      try await c.execute(
        "UPDATE alerts SET state = ?, doc = ? WHERE alert_id = ?", [.int(Int64(alert.state.rawValue)), try .json(alert), .text(id)])
      return alert
    }
  }

  public func alert(_ id: String) async throws -> AlertRecord? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM alerts WHERE alert_id = ?", [.text(id)]).map { try $0[0].decoded(AlertRecord.self) }
    }
  }

  /// Alerts of `monitor` (all monitors when empty) in `states` (all when empty), newest
  /// first, strictly before the (time, id) cursor.
  public func alerts(monitor: String, states: [AlertRecord.State], before: (Int64, String)?, limit: Int) async throws -> [AlertRecord] {
    let (time, id) = before ?? (Int64.max, "\u{10FFFF}")
    var conditions = ["(created_time < ? OR (created_time = ? AND alert_id < ?))"]
    var binds: [SQLValue] = [.int(time), .int(time), .text(id)]
    if !monitor.isEmpty {
      conditions.append("monitor = ?")
      binds.append(.text(monitor))
    }
    if !states.isEmpty {
      conditions.append("state IN (\(Placeholders.list(states.count)))")
      binds += states.map { .int(Int64($0.rawValue)) }
    }
    let query = "SELECT doc FROM alerts WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_time DESC, alert_id DESC LIMIT ?"
    return try await sql.read { [binds] c in
      try await c.query(query, binds + [.int(Int64(limit))]).map { try $0[0].decoded(AlertRecord.self) }
    }
  }
}
