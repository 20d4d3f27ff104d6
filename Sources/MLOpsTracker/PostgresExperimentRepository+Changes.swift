import Logging
import MLOpsCore
import PostgresNIO

/// Search and changes to experiments in PostgreSQL.
extension PostgresExperimentRepository {
  public func search(_ search: ExperimentSearch) async throws -> [(experiment: Experiment, sortValues: [RunSearch.SortValue])] {
    var builder = ExperimentSearchSQL(dialect: .postgres)
    let sql = try builder.statement(search)
    let bindings = builder.binds.postgresBindings
    let components = builder.components
    var hits: [(Int64, [RunSearch.SortValue])] = []
    for try await row in try await database.client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger) {
      let cells = Array(row)
      let values = try components.indices.map { i -> RunSearch.SortValue in
        components[i].numeric ? .number(PostgresRunRepository.number(cells[i + 1])) : .text(try cells[i + 1].decode(String.self))
      }
      hits.append((try cells[0].decode(Int64.self), values))
    }
    var result: [(experiment: Experiment, sortValues: [RunSearch.SortValue])] = []
    for (id, values) in hits {
      if let experiment = try await experiment(id: id) { result.append((experiment, values)) }
    }
    return result
  }

  static func lockedLifecycle(_ c: PostgresConnection, _ id: Int64, logger: Logger) async throws -> Experiment.Lifecycle {
    var stage: Int16?
    for try await value in try await c.query("SELECT lifecycle_stage FROM experiments WHERE experiment_id = \(id) FOR UPDATE", logger: logger).decode(Int16.self) {
      stage = value
    }
    guard let stage else { throw TrackerError.experimentNotFound("with id \(id)") }
    return Experiment.Lifecycle(rawValue: Int(stage)) ?? .active
  }

  public func update(id: Int64, name: String?, description: String?, time: Int64) async throws -> Experiment {
    do {
      try await database.transaction(logger: logger) { c in
        guard try await Self.lockedLifecycle(c, id, logger: logger) == .active else {
          throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted")
        }
        if let name { try await c.query("UPDATE experiments SET name = \(name) WHERE experiment_id = \(id)", logger: logger) }
        if let description { try await c.query("UPDATE experiments SET description = \(description) WHERE experiment_id = \(id)", logger: logger) }
        try await c.query("UPDATE experiments SET last_update_time = \(time) WHERE experiment_id = \(id)", logger: logger)
      }
    } catch where PostgresStore.sqlState(of: error) == "23505" {
      throw TrackerError.experimentNameTaken(name ?? "")
    }
    guard let experiment = try await experiment(id: id) else { throw TrackerError.experimentNotFound("with id \(id)") }
    return experiment
  }

  public func setLifecycle(id: Int64, _ lifecycle: Experiment.Lifecycle, time: Int64) async throws {
    try await database.transaction(logger: logger) { c in
      guard try await Self.lockedLifecycle(c, id, logger: logger) != lifecycle else {
        throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      let stage = Int16(lifecycle.rawValue)
      try await c.query("UPDATE experiments SET lifecycle_stage = \(stage), last_update_time = \(time) WHERE experiment_id = \(id)", logger: logger)
      try await c.query("UPDATE runs SET lifecycle_stage = \(stage) WHERE experiment_id = \(id)", logger: logger)
    }
  }

  public func setTag(id: Int64, key: String, value: String, time: Int64) async throws {
    try await database.transaction(logger: logger) { c in
      guard try await Self.lockedLifecycle(c, id, logger: logger) == .active else {
        throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted")
      }
      try await c.query(
        "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(id), \(key), \(value)) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
        logger: logger)
      try await c.query("UPDATE experiments SET last_update_time = \(time) WHERE experiment_id = \(id)", logger: logger)
    }
  }
}
