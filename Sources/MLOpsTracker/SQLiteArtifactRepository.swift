import GRDB
import MLOpsCore

/// The artifact index in the embedded SQLite database; each record is one write transaction,
/// and SQLite's single writer makes the conflict check and the insert atomic.
public struct SQLiteArtifactRepository: ArtifactRepository {
  let database: SQLiteStore

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func record(runID: String, path: ArtifactPath, blob: BlobStore.Stored, time: Int64) async throws {
    try await database.pool.write { db in
      let runKey = try SQLiteRunRepository.requireActive(db, runID)
      let candidates = path.ancestors + [path.text]
      let existing = try Row.fetchAll(
        db,
        sql: "SELECT path, is_dir FROM artifacts WHERE run_key = ? AND path IN (\(databaseQuestionMarks(count: candidates.count)))",
        arguments: StatementArguments([runKey.databaseValue] + candidates.map(\.databaseValue))
      ).map { (path: $0[0] as String, isDirectory: $0[1] as Bool) }
      if let conflict = Self.conflict(path, existing: existing) { throw conflict }
      for directory in path.ancestors {
        let directoryPath = try ArtifactPath(directory, field: "header.path")
        try db.execute(
          sql: """
            INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
            VALUES (?, ?, ?, ?, 1, 0, '', ?) ON CONFLICT DO NOTHING
            """,
          arguments: [runKey, directory, directoryPath.parent, directoryPath.name, time])
      }
      try db.execute(
        sql: """
          INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
          VALUES (?, ?, ?, ?, 0, ?, ?, ?)
          ON CONFLICT (run_key, path) DO UPDATE SET
            size_bytes = excluded.size_bytes, sha256 = excluded.sha256, created_at = excluded.created_at
          """,
        arguments: [runKey, path.text, path.parent, path.name, blob.size, blob.sha256, time])
    }
  }

  public func entry(runID: String, path: String) async throws -> ArtifactEntry? {
    try await database.pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.entryColumns) FROM artifacts WHERE run_key = \(SQLiteRunRepository.keyOfRun) AND path = ?", arguments: [runID, path]
      ).map(Self.entry)
    }
  }

  public func list(runID: String, directory: String, after name: String?, limit: Int) async throws -> [ArtifactEntry] {
    try await database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM artifacts
          WHERE run_key = \(SQLiteRunRepository.keyOfRun) AND parent = ? AND name > ? ORDER BY name LIMIT ?
          """,
        arguments: [runID, directory, name ?? "", limit]
      ).map(Self.entry)
    }
  }

  static func entry(_ row: Row) -> ArtifactEntry {
    ArtifactEntry(path: row[0], isDirectory: row[1], size: row[2], sha256: row[3])
  }
}
