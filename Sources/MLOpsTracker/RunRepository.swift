import MLOpsCore

/// Runs and everything logged to them, written once for SQLite and PostgreSQL on
/// ``SQLExecutor``. Every write is one transaction that first reads — and on PostgreSQL locks —
/// the run row, so concurrent batches into one run serialise, none is lost, and writes to a
/// deleted run are refused.
public struct RunRepository: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// - Throws: `experimentNotFound`; `failedPrecondition` when the experiment is deleted.
  public func create(_ new: NewRun) async throws -> Run {
    let packages = RunStorageCoding.json(new.environment.packages)
    let uri = try await sql.transaction { c in
      // FOR SHARE on PostgreSQL: a concurrent delete of the experiment waits for this run.
      let experiment = try await c.first(
        "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?\(sql.dialect.forShare)",
        [.int(new.experimentID)])
      let location = try NewRun.artifactLocation(
        experiment: new.experimentID, found: experiment.map { (stage: Int($0[0].int), location: $0[1].text) })
      let uri = RunStorageCoding.artifactURI(experimentLocation: location, runID: new.id)
      let runKey =
        try await c.first(
          """
          INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, user_id,
            source_repository, source_commit, source_entry_point, source_type,
            env_runtime, env_packages_digest, env_packages, env_platform)
          VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_key
          """,
          [
            .text(new.id), .int(new.experimentID), .text(new.name), .int(new.startTime), .text(uri), .text(new.userID),
            .text(new.source.repository), .text(new.source.commit), .text(new.source.entryPoint), .text(new.source.sourceType),
            .text(new.environment.runtime), .text(new.environment.packagesDigest), .text(packages), .text(new.environment.platform),
          ])?[0] ?? .null
      for (key, value) in new.tags {
        try await c.execute("INSERT INTO run_tags (run_key, key, value) VALUES (?, ?, ?)", [runKey, .text(key), .text(value)])
      }
      return uri
    }
    return Run(new, artifactURI: uri)
  }

  /// The run's key inside a write, its row locked; refuses unknown and deleted runs.
  @discardableResult
  func lockActive(_ c: any SQLConnection, _ id: String) async throws -> Int64 {
    guard let row = try await c.first("SELECT run_key, lifecycle_stage FROM runs WHERE run_id = ?\(sql.dialect.forUpdate)", [.text(id)])
    else {
      throw TrackerError.runNotFound(id)
    }
    if row[1].int != Int64(Experiment.Lifecycle.active.rawValue) { throw TrackerError.runDeleted(id) }
    return row[0].int
  }

  /// Sets whichever of status, end time and name are given.
  /// - Throws: `runNotFound`, `runDeleted`.
  public func update(id: String, status: RunStatus?, endTime: Int64?, name: String?) async throws -> RunInfo {
    try await sql.transaction { c in
      let runKey = try await lockActive(c, id)
      if let status { try await c.execute("UPDATE runs SET status = ? WHERE run_id = ?", [.int(Int64(status.rawValue)), .text(id)]) }
      if let endTime { try await c.execute("UPDATE runs SET end_time = ? WHERE run_id = ?", [.int(endTime), .text(id)]) }
      if let name { try await Self.rename(c, runKey: runKey, name, tag: true) }
      guard let row = try await c.first("SELECT \(Self.runColumns) FROM runs WHERE run_id = ?", [.text(id)]) else {
        throw TrackerError.runNotFound(id)
      }
      return Self.run(SQLRow(row)).info
    }
  }

  /// Sets the run's name and, unless the caller is writing the tag itself, its
  /// `mlflow.runName` tag: MLflow keeps the two equal.
  static func rename(_ c: any SQLConnection, runKey: Int64, _ name: String, tag: Bool) async throws {
    try await c.execute("UPDATE runs SET name = ? WHERE run_key = ?", [.text(name), .int(runKey)])
    guard tag else { return }
    try await c.execute(
      "INSERT INTO run_tags (run_key, key, value) VALUES (?, ?, ?) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value",
      [.int(runKey), .text(TrackerEngine.runNameTag), .text(name)])
  }

  /// Soft delete or restore. - Throws: `runNotFound`; `failedPrecondition` when already in that state.
  public func setLifecycle(id: String, _ lifecycle: Experiment.Lifecycle) async throws {
    try await sql.transaction { c in
      guard let row = try await c.first("SELECT lifecycle_stage FROM runs WHERE run_id = ?\(sql.dialect.forUpdate)", [.text(id)]) else {
        throw TrackerError.runNotFound(id)
      }
      guard row[0].int != Int64(lifecycle.rawValue) else {
        throw TrackerError.failedPrecondition("run \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      try await c.execute("UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?", [.int(Int64(lifecycle.rawValue)), .text(id)])
    }
  }

  /// - Throws: `runNotFound`, `runDeleted`, `tagNotFound`.
  public func deleteTag(runID: String, key: String) async throws {
    try await sql.transaction { c in
      let runKey = try await lockActive(c, runID)
      let deleted = try await c.query("DELETE FROM run_tags WHERE run_key = ? AND key = ? RETURNING key", [.int(runKey), .text(key)])
      if deleted.isEmpty { throw TrackerError.tagNotFound(runID: runID, key: key) }
    }
  }

  /// Records dataset inputs; logging one again (same name and digest) replaces its details.
  public func logInputs(runID: String, _ inputs: [DatasetInput]) async throws {
    try await sql.transaction { c in
      let runKey = try await lockActive(c, runID)
      for input in inputs {
        try await c.execute(
          """
          INSERT INTO run_inputs (run_key, name, digest, source_type, source, schema_json, profile, context, tags_json)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (run_key, name, digest) DO UPDATE SET source_type = excluded.source_type, source = excluded.source,
            schema_json = excluded.schema_json, profile = excluded.profile, context = excluded.context, tags_json = excluded.tags_json
          """,
          [
            .int(runKey), .text(input.name), .text(input.digest), .text(input.sourceType), .text(input.source), .text(input.schema),
            .text(input.profile), .text(input.context), .text(RunStorageCoding.json(input.tags)),
          ])
      }
    }
  }
}
