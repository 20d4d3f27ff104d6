import Logging
import MLOpsCore
import PostgresNIO

/// The artifact index in PostgreSQL. A record locks the run row first, so concurrent uploads
/// into one run (from any replica) check and insert paths one at a time.
public struct PostgresArtifactRepository: ArtifactRepository {
  let database: PostgresStore
  let logger: Logger

  public init(database: PostgresStore, logger: Logger) {
    self.database = database
    self.logger = logger
  }

  public func record(runID: String, path: ArtifactPath, blob: BlobStore.Stored, time: Int64) async throws {
    try await database.transaction(logger: logger) { c in
      let runKey = try await PostgresRunRepository.lockActive(c, runID, logger: logger)
      let candidates = path.ancestors + [path.text]
      var existing: [(path: String, isDirectory: Bool)] = []
      let rows = try await c.query(
        "SELECT path, is_dir FROM artifacts WHERE run_key = \(runKey) AND path = ANY(\(candidates))", logger: logger)
      for try await (found, isDirectory) in rows.decode((String, Bool).self) {
        existing.append((found, isDirectory))
      }
      if let conflict = Self.conflict(path, existing: existing) { throw conflict }
      for directory in path.ancestors {
        let directoryPath = try ArtifactPath(directory, field: "header.path")
        try await c.query(
          """
          INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
          VALUES (\(runKey), \(directory), \(directoryPath.parent), \(directoryPath.name), TRUE, 0, '', \(time))
          ON CONFLICT DO NOTHING
          """, logger: logger)
      }
      try await c.query(
        """
        INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
        VALUES (\(runKey), \(path.text), \(path.parent), \(path.name), FALSE, \(blob.size), \(blob.sha256), \(time))
        ON CONFLICT (run_key, path) DO UPDATE SET
          size_bytes = excluded.size_bytes, sha256 = excluded.sha256, created_at = excluded.created_at
        """, logger: logger)
    }
  }

  public func entry(runID: String, path: String) async throws -> ArtifactEntry? {
    let rows = try await database.client.query(
      PostgresQuery(
        unsafeSQL: "SELECT \(Self.entryColumns) FROM artifacts WHERE run_key = \(Self.keyOfRun) AND path = $2",
        binds: Self.binds(runID, path)),
      logger: logger)
    for try await row in rows.decode((String, Bool, Int64, String).self) { return Self.entry(row) }
    return nil
  }

  public func list(runID: String, directory: String, after name: String?, limit: Int) async throws -> [ArtifactEntry] {
    var binds = Self.binds(runID, directory)
    binds.append(name ?? "")
    binds.append(limit)
    let rows = try await database.client.query(
      PostgresQuery(
        unsafeSQL: """
          SELECT \(Self.entryColumns) FROM artifacts
          WHERE run_key = \(Self.keyOfRun) AND parent = $2 AND name > $3 ORDER BY name LIMIT $4
          """,
        binds: binds),
      logger: logger)
    var entries: [ArtifactEntry] = []
    for try await row in rows.decode((String, Bool, Int64, String).self) { entries.append(Self.entry(row)) }
    return entries
  }

  /// The key of the run whose id is bound as $1.
  static let keyOfRun = "(SELECT run_key FROM runs WHERE run_id = $1)"

  static func binds(_ values: String...) -> PostgresBindings {
    var binds = PostgresBindings()
    for value in values { binds.append(value) }
    return binds
  }

  static func entry(_ row: (String, Bool, Int64, String)) -> ArtifactEntry {
    ArtifactEntry(path: row.0, isDirectory: row.1, size: row.2, sha256: row.3)
  }
}
