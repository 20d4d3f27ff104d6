import Logging
import MLOpsCore
import PostgresNIO

/// Experiments in PostgreSQL, shared by tracker replicas.
public struct PostgresExperimentRepository: ExperimentRepository {
  let database: PostgresStore
  let logger: Logger

  public init(database: PostgresStore, logger: Logger) {
    self.database = database
    self.logger = logger
  }

  public func create(_ new: NewExperiment) async throws -> Experiment {
    let logger = self.logger
    do {
      return try await database.client.withTransaction(logger: logger) { connection in
        let rows = try await connection.query(
          """
          INSERT INTO experiments (name, artifact_location, description, creation_time, last_update_time)
          VALUES (\(new.name), \(new.artifactLocation), \(new.description), \(new.creationTime), \(new.creationTime))
          RETURNING experiment_id
          """, logger: logger)
        var id: Int64 = 0
        for try await value in rows.decode(Int64.self) { id = value }
        var location = new.artifactLocation
        if location.isEmpty {
          location = Experiment.defaultArtifactLocation(id: id)
          try await connection.query(
            "UPDATE experiments SET artifact_location = \(location) WHERE experiment_id = \(id)",
            logger: logger)
        }
        for (key, value) in new.tags {
          try await connection.query(
            "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(id), \(key), \(value))",
            logger: logger)
        }
        return Experiment(
          id: id, name: new.name, artifactLocation: location, lifecycle: .active,
          description: new.description, creationTime: new.creationTime,
          lastUpdateTime: new.creationTime, tags: new.tags)
      }
    } catch where PostgresStore.sqlState(of: error) == "23505" {
      throw TrackerError.experimentNameTaken(new.name)
    }
  }

  public func experiment(id: Int64) async throws -> Experiment? {
    try await fetch(
      """
      SELECT experiment_id, name, artifact_location, lifecycle_stage, description,
             creation_time, last_update_time
      FROM experiments WHERE experiment_id = \(id)
      """)
  }

  public func experiment(named name: String) async throws -> Experiment? {
    try await fetch(
      """
      SELECT experiment_id, name, artifact_location, lifecycle_stage, description,
             creation_time, last_update_time
      FROM experiments WHERE name = \(name)
      """)
  }

  private func fetch(_ query: PostgresQuery) async throws -> Experiment? {
    let rows = try await database.client.query(query, logger: logger)
    var found: Experiment?
    for try await (id, name, location, stage, description, created, updated) in rows.decode(
      (Int64, String, String, Int16, String, Int64, Int64).self)
    {
      found = Experiment(
        id: id, name: name, artifactLocation: location,
        lifecycle: Experiment.Lifecycle(rawValue: Int(stage)) ?? .active, description: description,
        creationTime: created, lastUpdateTime: updated, tags: [:])
    }
    guard var experiment = found else { return nil }
    let tags = try await database.client.query(
      "SELECT key, value FROM experiment_tags WHERE experiment_id = \(experiment.id)", logger: logger)
    for try await (key, value) in tags.decode((String, String).self) {
      experiment.tags[key] = value
    }
    return experiment
  }
}
