import Foundation
import MLOpsCore

/// The monitor's storage, written once for SQLite and PostgreSQL on ``SQLExecutor``.
public struct MonitorStore: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  // MARK: Monitors

  public func create(_ monitor: MonitorDefinition) async throws {
    try await sql.transaction { c in
      guard try await c.first("SELECT 1 FROM monitors WHERE name = ?", [.text(monitor.name)]) == nil else {
        throw MonitorError.monitorNameTaken(monitor.name)
      }
      try await c.execute(
        "INSERT INTO monitors (name, deployment, doc) VALUES (?, ?, ?)",
        [.text(monitor.name), .text(monitor.deployment), try .json(monitor)])
    }
  }

  /// Applies `change` to the stored definition in one transaction and returns the result.
  public func modify(_ name: String, _ change: @Sendable @escaping (inout MonitorDefinition) throws -> Void) async throws
    -> MonitorDefinition
  {
    try await sql.transaction { c in
      guard let row = try await c.first("SELECT doc FROM monitors WHERE name = ?", [.text(name)]) else {
        throw MonitorError.monitorNotFound(name)
      }
      var monitor = try row[0].decoded(MonitorDefinition.self)
      try change(&monitor)
      try await c.execute(
        "UPDATE monitors SET deployment = ?, doc = ? WHERE name = ?",
        [.text(monitor.deployment), try .json(monitor), .text(name)])
      return monitor
    }
  }

  public func monitor(_ name: String) async throws -> MonitorDefinition? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM monitors WHERE name = ?", [.text(name)]).map { try $0[0].decoded(MonitorDefinition.self) }
    }
  }

  /// Monitors by name after `after`, optionally only those watching `deployment`.
  public func monitors(deployment: String, after: String, limit: Int) async throws -> [MonitorDefinition] {
    try await sql.read { c in
      let rows =
        deployment.isEmpty
        ? try await c.query("SELECT doc FROM monitors WHERE name > ? ORDER BY name LIMIT ?", [.text(after), .int(Int64(limit))])
        : try await c.query(
          "SELECT doc FROM monitors WHERE deployment = ? AND name > ? ORDER BY name LIMIT ?",
          [.text(deployment), .text(after), .int(Int64(limit))])
      return try rows.map { try $0[0].decoded(MonitorDefinition.self) }
    }
  }

  // MARK: Reference profiles

  /// Stores `profile` and points the monitor at it, together.
  public func setReference(monitor name: String, profileID: String, profile: ReferenceProfile, time: Int64) async throws
    -> MonitorDefinition
  {
    let data = profile.encoded()
    return try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO profiles (profile_id, monitor, rows, created_time, data) VALUES (?, ?, ?, ?, ?)",
        [.text(profileID), .text(name), .int(profile.rows), .int(time), .blob(data)])
      guard let row = try await c.first("SELECT doc FROM monitors WHERE name = ?", [.text(name)]) else {
        throw MonitorError.monitorNotFound(name)
      }
      var monitor = try row[0].decoded(MonitorDefinition.self)
      monitor.profileID = profileID
      monitor.updatedTime = time
      try await c.execute("UPDATE monitors SET doc = ? WHERE name = ?", [try .json(monitor), .text(name)])
      return monitor
    }
  }

  public func profile(_ id: String) async throws -> ReferenceProfile? {
    try await sql.read { c in
      try await c.first("SELECT data FROM profiles WHERE profile_id = ?", [.text(id)]).map { try ReferenceProfile.decode($0[0].blob) }
    }
  }
}
