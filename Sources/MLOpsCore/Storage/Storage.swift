import Logging

/// Where a process keeps its state: the embedded SQLite default or a shared PostgreSQL.
/// Repositories switch on it once, at construction, to pick their implementation.
public enum Storage: Sendable {
  case sqlite(SQLiteStore)
  case postgres(PostgresStore)

  /// Human-readable location for start-up logs.
  public var location: String {
    switch self {
    case .sqlite(let database): "sqlite:\(database.path)"
    case .postgres(let database): "\(database.url.redacted) schema \(database.schema)"
    }
  }

  /// Opens the storage the options select, applies `migrations`, runs `body` with it, and
  /// closes it afterwards. PostgreSQL's pool runs beside `body` and must answer within the
  /// timeout, so a wrong URL fails start-up instead of the first call; SQLite's checkpoints
  /// run beside it.
  public static func with<Result: Sendable>(
    process: String,
    options: ProcessOptions,
    migrations: [Migration],
    logger: Logger,
    _ body: (Storage) async throws -> Result
  ) async throws -> Result {
    if let raw = options.databaseURL, !raw.isEmpty {
      guard let url = PostgresURL(raw) else {
        throw StartupError("--database-url is not a postgres:// URL")
      }
      let database = PostgresStore(url: url, schema: schemaName(process), logger: logger)
      return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await database.run() }
        defer { group.cancelAll() }
        try await database.checkReachable()
        let applied = try await migrating(url.redacted) { try await database.migrate(migrations) }
        logger.info("storage ready", metadata: ["location": "\(url.redacted)", "migrated": "\(applied)"])
        return try await body(.postgres(database))
      }
    }
    let directory = options.dataDirectory ?? "./data/\(process)"
    let database = try SQLiteStore(directory: directory, fileName: "\(process).sqlite")
    let applied = try await migrating(database.path) { try await database.migrate(migrations) }
    logger.info("storage ready", metadata: ["location": "\(database.path)", "migrated": "\(applied)"])
    // Checkpoints run beside `body`, off the write path (``SQLiteCheckpointer``).
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { await SQLiteCheckpointer(store: database, logger: logger).run() }
      defer { group.cancelAll() }
      return try await body(.sqlite(database))
    }
  }

  /// Runs a migration, turning a database error into the one line start-up prints.
  static func migrating(_ location: String, _ body: () async throws -> [Int]) async throws -> [Int] {
    do {
      return try await body()
    } catch let error as StartupError {
      throw error
    } catch {
      throw StartupError("cannot migrate the schema at \(location): \(PostgresStore.describe(error))")
    }
  }

  /// "feature-server" → "feature_server": a schema name that needs no quoting.
  public static func schemaName(_ process: String) -> String {
    String(process.map { $0.isLetter || $0.isNumber ? $0 : "_" })
  }
}
