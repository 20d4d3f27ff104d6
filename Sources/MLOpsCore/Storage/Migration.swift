/// One versioned schema change, written for both backends. Migrations run at start-up, in
/// version order, each exactly once per database (recorded in `schema_migrations`), inside one
/// transaction, so a crash mid-way leaves the previous schema intact.
public struct Migration: Sendable {
  public var version: Int
  public var name: String
  /// Statements for SQLite, run in order.
  public var sqlite: [String]
  /// Statements for PostgreSQL, run in order (one statement each: the extended protocol).
  public var postgres: [String]

  public init(version: Int, name: String, sqlite: [String], postgres: [String]) {
    self.version = version
    self.name = name
    self.sqlite = sqlite
    self.postgres = postgres
  }

  /// Checks that versions are positive and strictly increasing, so two migrations can never
  /// claim the same slot.
  static func validate(_ migrations: [Migration]) throws {
    var previous = 0
    for migration in migrations {
      guard migration.version > previous else {
        throw StartupError(
          "migration '\(migration.name)' has version \(migration.version), expected more than \(previous)")
      }
      previous = migration.version
    }
  }
}
