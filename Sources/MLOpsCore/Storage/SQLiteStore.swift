import Foundation
import GRDB

/// The embedded backend: one SQLite file per process under its data dir, in WAL mode so reads
/// never wait for the writer. `synchronous = NORMAL` keeps every committed transaction across a
/// process kill (-9); only an OS crash or power loss can drop the last ones.
public final class SQLiteStore: Sendable {
  /// The connection pool. Internal: repositories reach the database only through
  /// ``SQLiteExecutor``, so every write takes its lock and one transaction model holds.
  let pool: DatabasePool
  public let path: String
  /// Held by ``SQLiteExecutor`` transactions, shared by every executor on this database.
  let transactionLock = AsyncLock()

  /// Opens (creating if needed) `<directory>/<fileName>`.
  /// - Throws: ``StartupError`` naming the directory when it cannot be created or written.
  public init(directory: String, fileName: String) throws {
    try Self.prepare(directory: directory)
    let path = (directory as NSString).appendingPathComponent(fileName)
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    // SQLiteExecutor keeps one transaction open across several writer accesses (under its
    // own lock), which GRDB otherwise refuses.
    configuration.allowsUnsafeTransactions = true
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA foreign_keys = ON")
      // LIKE is case-sensitive in MLflow's filters and in PostgreSQL; ILIKE is spelled
      // lower(x) LIKE lower(y). Set once per connection: changing it later re-prepares statements.
      try db.execute(sql: "PRAGMA case_sensitive_like = ON")
      // Reads come from the page cache or the memory map instead of a pread copy per page.
      try db.execute(sql: "PRAGMA mmap_size = 268435456")
      try db.execute(sql: "PRAGMA cache_size = -32768")
    }
    do {
      self.pool = try DatabasePool(path: path, configuration: configuration)
    } catch {
      throw StartupError("cannot open SQLite database \(path): \(error)")
    }
    self.path = path
  }

  /// Applies the migrations not yet recorded; returns the versions applied now.
  @discardableResult
  public func migrate(_ migrations: [Migration]) async throws -> [Int] {
    try Migration.validate(migrations)
    return try await pool.write { db in
      try db.execute(
        sql: """
          CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
          """)
      let applied = Set(try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations"))
      var now: [Int] = []
      for migration in migrations where !applied.contains(migration.version) {
        for statement in migration.sqlite { try db.execute(sql: statement) }
        try db.execute(
          sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          arguments: [migration.version, migration.name, ISO8601DateFormatter().string(from: Date())])
        now.append(migration.version)
      }
      return now
    }
  }

  /// The versions recorded as applied, ascending.
  public func appliedMigrations() async throws -> [Int] {
    try await pool.read { db in
      try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
    }
  }

  private static func prepare(directory: String) throws {
    let files = FileManager.default
    var isDirectory: ObjCBool = false
    if files.fileExists(atPath: directory, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw StartupError("data dir \(directory) is not a directory")
      }
    } else {
      do {
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
      } catch {
        throw StartupError("cannot create data dir \(directory): \(Self.reason(error, creating: directory))")
      }
    }
    guard files.isWritableFile(atPath: directory) else {
      throw StartupError("data dir \(directory) is not writable")
    }
  }

  /// Explains a failed mkdir by the first existing ancestor: Foundation's own error text on
  /// Linux ("error 512") names nothing useful.
  private static func reason(_ error: any Error, creating directory: String) -> String {
    var ancestor = directory as NSString
    let files = FileManager.default
    while ancestor.length > 1 {
      ancestor = ancestor.deletingLastPathComponent as NSString
      var isDirectory: ObjCBool = false
      if files.fileExists(atPath: ancestor as String, isDirectory: &isDirectory) {
        if !isDirectory.boolValue { return "\(ancestor) is not a directory" }
        if !files.isWritableFile(atPath: ancestor as String) { return "\(ancestor) is not writable" }
        break
      }
    }
    return (error as NSError).localizedDescription
  }
}
