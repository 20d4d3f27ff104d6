import MLOpsCore

/// Experiments, written once for SQLite and PostgreSQL on ``SQLExecutor`` and held to one
/// behaviour by the shared suite in `Tests/MLOpsTrackerTests`. A change locks the experiment
/// row first on PostgreSQL, so replicas on one database apply changes one after another.
public struct ExperimentRepository: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// Inserts the experiment and its tags atomically.
  /// - Throws: ``TrackerError/experimentNameTaken(_:)`` when the name exists (deleted too).
  public func create(_ new: NewExperiment) async throws -> Experiment {
    do {
      return try await sql.transaction { c in
        let id =
          try await c.first(
            """
            INSERT INTO experiments (name, artifact_location, description, creation_time, last_update_time)
            VALUES (?, ?, ?, ?, ?) RETURNING experiment_id
            """,
            [.text(new.name), .text(new.artifactLocation), .text(new.description), .int(new.creationTime), .int(new.creationTime)])?[0].int
          ?? 0
        var location = new.artifactLocation
        if location.isEmpty {
          location = Experiment.defaultArtifactLocation(id: id)
          try await c.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", [.text(location), .int(id)])
        }
        for (key, value) in new.tags {
          try await c.execute(
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)", [.int(id), .text(key), .text(value)])
        }
        return Experiment(
          id: id, name: new.name, artifactLocation: location, lifecycle: .active,
          description: new.description, creationTime: new.creationTime,
          lastUpdateTime: new.creationTime, tags: new.tags)
      }
    } catch  where SQLDialect.isUniqueViolation(error) {
      throw TrackerError.experimentNameTaken(new.name)
    }
  }

  /// The experiment with this id, deleted ones included; nil when there is none.
  public func experiment(id: Int64) async throws -> Experiment? {
    try await fetch(where: "experiment_id = ?", .int(id))
  }

  /// The experiment with this exact name, deleted ones included; nil when there is none.
  public func experiment(named name: String) async throws -> Experiment? {
    try await fetch(where: "name = ?", .text(name))
  }

  /// A point lookup: every CreateRun reads its experiment.
  private func fetch(where condition: String, _ value: SQLValue) async throws -> Experiment? {
    try await sql.lookup { c in
      guard
        let row = try await c.first(
          """
          SELECT experiment_id, name, artifact_location, lifecycle_stage, description, creation_time, last_update_time
          FROM experiments WHERE \(condition)
          """, [value])
      else { return nil }
      let id = row[0].int
      var tags: [String: String] = [:]
      for tag in try await c.query("SELECT key, value FROM experiment_tags WHERE experiment_id = ?", [.int(id)]) {
        tags[tag[0].text] = tag[1].text
      }
      return Experiment(
        id: id, name: row[1].text, artifactLocation: row[2].text,
        lifecycle: Experiment.Lifecycle(rawValue: Int(row[3].int)) ?? .active, description: row[4].text,
        creationTime: row[5].int, lastUpdateTime: row[6].int, tags: tags)
    }
  }
}

extension Experiment {
  /// The artifact location an experiment gets when the caller names none.
  public static func defaultArtifactLocation(id: Int64) -> String {
    "mlops-artifacts:/\(id)"
  }
}
