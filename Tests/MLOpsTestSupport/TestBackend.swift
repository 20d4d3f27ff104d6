import Foundation
import Logging
import MLOpsCore
import PostgresNIO

/// A storage backend a shared test suite runs against: SQLite always, PostgreSQL when
/// `MLOPS_TEST_POSTGRES_URL` names a server (CI starts one), so both implementations of every
/// repository are held to the same behaviour.
public enum TestBackend: Sendable, CustomStringConvertible {
  case sqlite
  case postgres(PostgresURL)

  /// The backends available in this environment.
  public static var available: [TestBackend] {
    var backends: [TestBackend] = [.sqlite]
    if let raw = ProcessInfo.processInfo.environment["MLOPS_TEST_POSTGRES_URL"], !raw.isEmpty {
      guard let url = PostgresURL(raw) else {
        fatalError("MLOPS_TEST_POSTGRES_URL is not a postgres:// URL: \(raw)")
      }
      backends.append(.postgres(url))
    }
    return backends
  }

  public var description: String {
    switch self {
    case .sqlite: "SQLite"
    case .postgres: "PostgreSQL"
    }
  }

  /// Opens fresh, migrated storage (a new temp dir, or a new schema that is dropped
  /// afterwards), runs `body`, and closes it.
  public func withStorage(
    migrations: [Migration],
    _ body: (Storage) async throws -> Void
  ) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    switch self {
    case .sqlite:
      let directory = try TemporaryDirectory.make()
      defer { TemporaryDirectory.remove(directory) }
      let database = try SQLiteStore(directory: directory, fileName: "test.sqlite")
      try await database.migrate(migrations)
      try await body(.sqlite(database))
    case .postgres(let url):
      let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      let database = PostgresStore(url: url, schema: schema, logger: logger)
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await database.run() }
        defer { group.cancelAll() }
        do {
          try await database.migrate(migrations)
          try await body(.postgres(database))
          try await database.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
        } catch {
          _ = try? await database.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
          throw error
        }
      }
    }
  }
}

/// Scratch directories under the system temp dir, one per test.
public enum TemporaryDirectory {
  public static func make() throws -> String {
    let path = (NSTemporaryDirectory() as NSString)
      .appendingPathComponent("mlops-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  public static func remove(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
  }
}
