import Foundation
import Logging
import PostgresNIO

/// The scale-out backend: a PostgreSQL connection pool whose sessions use one schema per
/// process (`search_path`), so all six processes can share one database without reading each
/// other's tables, and replicas of one process share state.
public final class PostgresStore: Sendable {
  /// The pool repositories query through; it must be running (see ``run()``).
  public let client: PostgresClient
  public let schema: String
  public let url: PostgresURL
  let logger: Logger

  /// - Parameters:
  ///   - schema: the process's schema, e.g. "tracker"; tests use a fresh one per test.
  public init(url: PostgresURL, schema: String, logger: Logger) {
    var configuration = PostgresClient.Configuration(
      host: url.host, port: url.port, username: url.username, password: url.password,
      database: url.database, tls: .disable)
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    configuration.options.connectTimeout = .seconds(5)
    configuration.options.maximumConnections = 16
    self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    self.schema = schema
    self.url = url
    self.logger = logger
  }

  /// Runs the pool until cancelled. Every query waits for this to be running.
  public func run() async {
    await client.run()
  }

  /// Answers once the server accepts a query, or throws ``StartupError`` naming the URL after
  /// `timeout`, so an unreachable database fails start-up with one clear line.
  public func checkReachable(timeout: Duration = .seconds(10)) async throws {
    let client = self.client
    let outcome: Result<Void, any Error>? = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
      group.addTask {
        do {
          try await client.query("SELECT 1")
          return .success(())
        } catch {
          return .failure(error)
        }
      }
      group.addTask {
        try? await Task.sleep(for: timeout)
        return nil
      }
      let first = await group.next() ?? nil
      group.cancelAll()
      return first
    }
    switch outcome {
    case .success: return
    case .failure(let error):
      throw StartupError("cannot reach PostgreSQL at \(url.redacted): \(Self.describe(error))")
    case nil:
      throw StartupError("cannot reach PostgreSQL at \(url.redacted): no answer within \(timeout)")
    }
  }

  /// Applies the migrations not yet recorded; returns the versions applied now. An advisory
  /// lock serialises replicas starting at the same time.
  @discardableResult
  public func migrate(_ migrations: [Migration]) async throws -> [Int] {
    try Migration.validate(migrations)
    let schema = self.schema
    return try await client.withTransaction(logger: logger) { connection in
      try await connection.query(
        "SELECT pg_advisory_xact_lock(hashtext(\("mlops-migrate:" + schema)))", logger: self.logger)
      try await connection.query(
        PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(Self.quoteIdentifier(schema))"),
        logger: self.logger)
      try await connection.query(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version BIGINT PRIMARY KEY, name TEXT NOT NULL,
          applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
        """, logger: self.logger)
      var applied = Set<Int>()
      for try await version in try await connection.query(
        "SELECT version FROM schema_migrations", logger: self.logger
      ).decode(Int.self) {
        applied.insert(version)
      }
      var now: [Int] = []
      for migration in migrations where !applied.contains(migration.version) {
        for statement in migration.postgres {
          try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
        }
        try await connection.query(
          "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
          logger: self.logger)
        now.append(migration.version)
      }
      return now
    }
  }

  /// The versions recorded as applied, ascending.
  public func appliedMigrations() async throws -> [Int] {
    var versions: [Int] = []
    for try await version in try await client.query(
      "SELECT version FROM schema_migrations ORDER BY version", logger: logger
    ).decode(Int.self) {
      versions.append(version)
    }
    return versions
  }

  /// Quotes an identifier for SQL (schema names come from configuration, not from users).
  public static func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One transaction whose closure errors reach the caller as themselves: PostgresNIO wraps
  /// them in `PostgresTransactionError`, which would hide a repository's domain errors (and
  /// make every repository unwrap them again). A failed rollback or commit stays wrapped.
  public func transaction<Result: Sendable>(
    logger: Logger, _ body: (PostgresConnection) async throws -> Result
  ) async throws -> Result {
    do {
      return try await client.withTransaction(logger: logger) { try await body($0) }
    } catch let error as PostgresTransactionError {
      if let inner = error.closureError, error.rollbackError == nil { throw inner }
      throw error
    }
  }

  /// The SQLSTATE of a server error, looking inside transaction wrappers, so repositories can
  /// map constraint violations (23505 unique, 23503 foreign key) to domain errors.
  public static func sqlState(of error: any Error) -> String? {
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] }
    if let error = error as? PostgresTransactionError, let inner = error.closureError {
      return sqlState(of: inner)
    }
    return nil
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? PostgresTransactionError {
      guard let inner = error.closureError ?? error.beginError ?? error.commitError else {
        return "\(error)"
      }
      return describe(inner)
    }
    if let error = error as? PSQLError {
      if let message = error.serverInfo?[.message] { return message }
      if let underlying = error.underlying { return "\(underlying)" }
      return "\(error.code)"
    }
    return "\(error)"
  }
}
