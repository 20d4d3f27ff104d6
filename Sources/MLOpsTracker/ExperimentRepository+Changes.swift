import MLOpsCore

/// Search and changes to experiments.
extension ExperimentRepository {
  /// Experiments matching the search in its order, each with its sort values.
  public func search(_ search: ExperimentSearch) async throws -> [(experiment: Experiment, sortValues: [RunSearch.SortValue])] {
    var builder = ExperimentSearchSQL(dialect: sql.dialect)
    let statement = try builder.statement(search)
    let binds = builder.binds
    let components = builder.components
    let hits: [(Int64, [RunSearch.SortValue])] = try await sql.read { c in
      try await c.query(statement, binds).map { row in
        (
          row[0].int,
          components.indices.map { i in
            components[i].numeric ? .number(row[i + 1].double ?? 0) : .text(row[i + 1].text)
          }
        )
      }
    }
    var result: [(experiment: Experiment, sortValues: [RunSearch.SortValue])] = []
    for (id, values) in hits {
      if let experiment = try await experiment(id: id) { result.append((experiment, values)) }
    }
    return result
  }

  /// The lifecycle of an experiment inside a write, its row locked; or `experimentNotFound`.
  func lockedLifecycle(_ c: any SQLConnection, _ id: Int64) async throws -> Experiment.Lifecycle {
    guard let row = try await c.first("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?\(sql.dialect.forUpdate)", [.int(id)])
    else {
      throw TrackerError.experimentNotFound("with id \(id)")
    }
    return Experiment.Lifecycle(rawValue: Int(row[0].int)) ?? .active
  }

  /// Renames and/or re-describes. - Throws: `experimentNotFound`, `failedPrecondition` (deleted),
  /// `experimentNameTaken`.
  public func update(id: Int64, name: String?, description: String?, time: Int64) async throws -> Experiment {
    do {
      try await sql.transaction { c in
        guard try await lockedLifecycle(c, id) == .active else {
          throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted")
        }
        if let name { try await c.execute("UPDATE experiments SET name = ? WHERE experiment_id = ?", [.text(name), .int(id)]) }
        if let description {
          try await c.execute("UPDATE experiments SET description = ? WHERE experiment_id = ?", [.text(description), .int(id)])
        }
        try await c.execute("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", [.int(time), .int(id)])
      }
    } catch  where SQLDialect.isUniqueViolation(error) {
      throw TrackerError.experimentNameTaken(name ?? "")
    }
    guard let experiment = try await experiment(id: id) else { throw TrackerError.experimentNotFound("with id \(id)") }
    return experiment
  }

  /// Soft delete or restore, with the experiment's runs. - Throws: `experimentNotFound`,
  /// `failedPrecondition` when it is already in that state.
  public func setLifecycle(id: Int64, _ lifecycle: Experiment.Lifecycle, time: Int64) async throws {
    try await sql.transaction { c in
      guard try await lockedLifecycle(c, id) != lifecycle else {
        throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      let stage = SQLValue.int(Int64(lifecycle.rawValue))
      try await c.execute(
        "UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?", [stage, .int(time), .int(id)])
      try await c.execute("UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?", [stage, .int(id)])
    }
  }

  /// Last write wins. - Throws: `experimentNotFound`, `failedPrecondition` (deleted).
  public func setTag(id: Int64, key: String, value: String, time: Int64) async throws {
    try await sql.transaction { c in
      guard try await lockedLifecycle(c, id) == .active else {
        throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted")
      }
      try await c.execute(
        "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
        [.int(id), .text(key), .text(value)])
      try await c.execute("UPDATE experiments SET last_update_time = ? WHERE experiment_id = ?", [.int(time), .int(id)])
    }
  }
}
