import MLOpsCore

/// The index of run artifacts: which path of which run names which blob, written once for
/// SQLite and PostgreSQL on ``SQLExecutor``. The index row is the commit point of an upload
/// (the blob is durable before it is written), so a reader never sees a path whose bytes are
/// not all there. Each record is one transaction that locks the run row first, which makes the
/// conflict check and the insert atomic on either backend.
public struct ArtifactRepository: Sendable {
  let sql: any SQLExecutor
  let runs: RunRepository

  public init(executor: any SQLExecutor) {
    self.sql = executor
    self.runs = RunRepository(executor: executor)
  }

  /// Rows read by ``entry(runID:path:)`` and ``list(runID:directory:after:limit:)``.
  static let entryColumns = "path, is_dir, size_bytes, sha256"

  /// Records a stored blob at `path`, creating its enclosing directories.
  /// - Throws: `runNotFound`, `runDeleted`, `artifactConflict` (an enclosing directory is a
  ///   file, or the path is a directory) — and then records nothing.
  public func record(runID: String, path: ArtifactPath, blob: BlobStore.Stored, time: Int64) async throws {
    try await sql.transaction { c in
      let runKey = try await runs.lockActive(c, runID)
      let candidates = path.ancestors + [path.text]
      let existing = try await c.query(
        "SELECT path, is_dir FROM artifacts WHERE run_key = ? AND path IN (\(Placeholders.list(candidates.count)))",
        [.int(runKey)] + candidates.map(SQLValue.text)
      ).map { (path: $0[0].text, isDirectory: $0[1].int != 0) }
      if let conflict = Self.conflict(path, existing: existing) { throw conflict }
      for directory in path.ancestors {
        let directoryPath = try ArtifactPath(directory, field: "header.path")
        try await c.execute(
          """
          INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
          VALUES (?, ?, ?, ?, TRUE, 0, '', ?) ON CONFLICT DO NOTHING
          """,
          [.int(runKey), .text(directory), .text(directoryPath.parent), .text(directoryPath.name), .int(time)])
      }
      try await c.execute(
        """
        INSERT INTO artifacts (run_key, path, parent, name, is_dir, size_bytes, sha256, created_at)
        VALUES (?, ?, ?, ?, FALSE, ?, ?, ?)
        ON CONFLICT (run_key, path) DO UPDATE SET
          size_bytes = excluded.size_bytes, sha256 = excluded.sha256, created_at = excluded.created_at
        """,
        [.int(runKey), .text(path.text), .text(path.parent), .text(path.name), .int(blob.size), .text(blob.sha256), .int(time)])
    }
  }

  /// The file or directory at `path`; nil when there is none.
  public func entry(runID: String, path: String) async throws -> ArtifactEntry? {
    try await sql.lookup { c in
      try await c.first(
        "SELECT \(Self.entryColumns) FROM artifacts WHERE run_key = \(RunRepository.keyOfRun) AND path = ?", [.text(runID), .text(path)]
      ).map(Self.entry)
    }
  }

  /// The entries directly inside `directory` ("" for the root) ordered by name, after `name`.
  public func list(runID: String, directory: String, after name: String?, limit: Int) async throws -> [ArtifactEntry] {
    try await sql.read { c in
      try await c.query(
        """
        SELECT \(Self.entryColumns) FROM artifacts
        WHERE run_key = \(RunRepository.keyOfRun) AND parent = ? AND name > ? ORDER BY name LIMIT ?
        """,
        [.text(runID), .text(directory), .text(name ?? ""), .int(Int64(limit))]
      ).map(Self.entry)
    }
  }

  static func entry(_ row: [SQLValue]) -> ArtifactEntry {
    ArtifactEntry(path: row[0].text, isDirectory: row[1].int != 0, size: row[2].int, sha256: row[3].text)
  }

  /// The conflict, if any, between a new file at `path` and the entries found at the path and
  /// its ancestors.
  static func conflict(_ path: ArtifactPath, existing: [(path: String, isDirectory: Bool)]) -> TrackerError? {
    for entry in existing {
      if entry.path == path.text, entry.isDirectory {
        return .artifactConflict(path: path.text, reason: "'\(entry.path)' is a directory")
      }
      if entry.path != path.text, !entry.isDirectory {
        return .artifactConflict(path: path.text, reason: "'\(entry.path)' is a file, not a directory")
      }
    }
    return nil
  }
}
