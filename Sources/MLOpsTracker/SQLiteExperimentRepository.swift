import GRDB
import MLOpsCore

/// Experiments in the embedded SQLite database.
public struct SQLiteExperimentRepository: ExperimentRepository {
  let database: SQLiteStore

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func create(_ new: NewExperiment) async throws -> Experiment {
    do {
      return try await database.pool.write { db in
        try db.execute(
          sql: """
            INSERT INTO experiments (name, artifact_location, description, creation_time, last_update_time)
            VALUES (?, ?, ?, ?, ?)
            """,
          arguments: [new.name, new.artifactLocation, new.description, new.creationTime, new.creationTime])
        let id = db.lastInsertedRowID
        var location = new.artifactLocation
        if location.isEmpty {
          location = Experiment.defaultArtifactLocation(id: id)
          try db.execute(
            sql: "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
            arguments: [location, id])
        }
        for (key, value) in new.tags {
          try db.execute(
            sql: "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)",
            arguments: [id, key, value])
        }
        return Experiment(
          id: id, name: new.name, artifactLocation: location, lifecycle: .active,
          description: new.description, creationTime: new.creationTime,
          lastUpdateTime: new.creationTime, tags: new.tags)
      }
    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
      throw TrackerError.experimentNameTaken(new.name)
    }
  }

  public func experiment(id: Int64) async throws -> Experiment? {
    try await fetch(where: "experiment_id = ?", id)
  }

  public func experiment(named name: String) async throws -> Experiment? {
    try await fetch(where: "name = ?", name)
  }

  private func fetch(where condition: String, _ value: some DatabaseValueConvertible & Sendable)
    async throws -> Experiment?
  {
    try await database.pool.read { db in
      // Cached statements: every CreateRun reads its experiment, and compiling these two
      // statements cost more than running them.
      guard
        let row = try Row.fetchOne(
          db.cachedStatement(sql: """
            SELECT experiment_id, name, artifact_location, lifecycle_stage, description,
                   creation_time, last_update_time
            FROM experiments WHERE \(condition)
            """),
          arguments: [value])
      else { return nil }
      let id: Int64 = row[0]
      var tags: [String: String] = [:]
      for tag in try Row.fetchAll(
        db.cachedStatement(sql: "SELECT key, value FROM experiment_tags WHERE experiment_id = ?"), arguments: [id])
      {
        tags[tag[0]] = tag[1] as String
      }
      return Experiment(
        id: id, name: row[1], artifactLocation: row[2],
        lifecycle: Experiment.Lifecycle(rawValue: row[3]) ?? .active, description: row[4],
        creationTime: row[5], lastUpdateTime: row[6], tags: tags)
    }
  }
}
