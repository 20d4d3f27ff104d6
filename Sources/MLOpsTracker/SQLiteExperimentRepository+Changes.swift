import GRDB
import MLOpsCore

/// Search and changes to experiments in SQLite.
extension SQLiteExperimentRepository {
  public func search(_ search: ExperimentSearch) async throws -> [(experiment: Experiment, sortValues: [RunSearch.SortValue])] {
    var builder = ExperimentSearchSQL(dialect: .sqlite)
    let sql = try builder.statement(search)
    let arguments = builder.binds.sqliteArguments
    let components = builder.components
    let hits: [(Int64, [RunSearch.SortValue])] = try await database.pool.read { db in
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
        (row[0], components.indices.map { i in
          components[i].numeric ? .number(Double(row[i + 1] as Int64)) : .text(row[i + 1] as String)
        })
      }
    }
    var result: [(experiment: Experiment, sortValues: [RunSearch.SortValue])] = []
    for (id, values) in hits {
      if let experiment = try await experiment(id: id) { result.append((experiment, values)) }
    }
    return result
  }

  /// The lifecycle of an experiment inside a write, or `experimentNotFound`.
  static func lifecycle(_ db: Database, _ id: Int64) throws -> Experiment.Lifecycle {
    guard let stage = try Int.fetchOne(db, sql: "SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?", arguments: [id]) else {
      throw TrackerError.experimentNotFound("with id \(id)")
    }
    return Experiment.Lifecycle(rawValue: stage) ?? .active
  }

  public func update(id: Int64, name: String?, description: String?, time: Int64) async throws -> Experiment {
    do {
      try await database.pool.write { db in
        guard try Self.lifecycle(db, id) == .active else { throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted") }
        if let name { try db.execute(sql: "UPDATE experiments SET name = ? WHERE experiment_id = ?", arguments: [name, id]) }
        if let description { try db.execute(sql: "UPDATE experiments SET description = ? WHERE experiment_id = ?", arguments: [description, id]) }
        try db.execute(sql: "UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", arguments: [time, id])
      }
    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
      throw TrackerError.experimentNameTaken(name ?? "")
    }
    guard let experiment = try await experiment(id: id) else { throw TrackerError.experimentNotFound("with id \(id)") }
    return experiment
  }

  public func setLifecycle(id: Int64, _ lifecycle: Experiment.Lifecycle, time: Int64) async throws {
    try await database.pool.write { db in
      guard try Self.lifecycle(db, id) != lifecycle else {
        throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      try db.execute(sql: "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?", arguments: [lifecycle.rawValue, time, id])
      try db.execute(sql: "UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?", arguments: [lifecycle.rawValue, id])
    }
  }

  public func setTag(id: Int64, key: String, value: String, time: Int64) async throws {
    try await database.pool.write { db in
      guard try Self.lifecycle(db, id) == .active else { throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted") }
      try db.execute(
        sql: "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
        arguments: [id, key, value])
      try db.execute(sql: "UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", arguments: [time, id])
    }
  }
}
