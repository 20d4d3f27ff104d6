import Foundation
import GRDB
import MLOpsTestSupport
import Testing

@testable import MLOpsCore

@Suite("Schema migrations")
struct MigrationTests {
  static let migrations = [
    Migration(
      version: 1, name: "widgets",
      sqlite: ["CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"],
      postgres: ["CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"]),
    Migration(
      version: 2, name: "widget colour",
      sqlite: ["ALTER TABLE widgets ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'"],
      postgres: ["ALTER TABLE widgets ADD COLUMN colour TEXT NOT NULL DEFAULT 'red'"]),
  ]

  @Test("are applied once and are a no-op on the next start", arguments: TestBackend.available)
  func appliedOnce(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: []) { storage in
      switch storage {
      case .sqlite(let database):
        let observed1 = try await database.migrate(Self.migrations)
        #expect(observed1 == [1, 2])
        let observed2 = try await database.migrate(Self.migrations)
        #expect(observed2 == [])
        let observed3 = try await database.appliedMigrations()
        #expect(observed3 == [1, 2])
      case .postgres(let database):
        let observed4 = try await database.migrate(Self.migrations)
        #expect(observed4 == [1, 2])
        let observed5 = try await database.migrate(Self.migrations)
        #expect(observed5 == [])
        let observed6 = try await database.appliedMigrations()
        #expect(observed6 == [1, 2])
      }
    }
  }

  @Test("a new migration is applied on top of earlier ones", arguments: TestBackend.available)
  func incremental(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: []) { storage in
      switch storage {
      case .sqlite(let database):
        let observed7 = try await database.migrate(Array(Self.migrations.prefix(1)))
        #expect(observed7 == [1])
        let observed8 = try await database.migrate(Self.migrations)
        #expect(observed8 == [2])
      case .postgres(let database):
        let observed9 = try await database.migrate(Array(Self.migrations.prefix(1)))
        #expect(observed9 == [1])
        let observed10 = try await database.migrate(Self.migrations)
        #expect(observed10 == [2])
      }
    }
  }

  @Test("a failing migration leaves the schema as it was", arguments: TestBackend.available)
  func failingMigrationRollsBack(backend: TestBackend) async throws {
    let broken =
      Self.migrations + [
        Migration(
          version: 3, name: "broken", sqlite: ["CREATE TABLE gadgets (id INTEGER)", "NOT SQL"],
          postgres: ["CREATE TABLE gadgets (id BIGINT)", "NOT SQL"])
      ]
    try await backend.withStorage(migrations: Self.migrations) { storage in
      switch storage {
      case .sqlite(let database):
        await #expect(throws: (any Error).self) { try await database.migrate(broken) }
        let observed11 = try await database.appliedMigrations()
        #expect(observed11 == [1, 2])
        let gadgets = try await database.pool.read { try $0.tableExists("gadgets") }
        #expect(!gadgets)
      case .postgres(let database):
        await #expect(throws: (any Error).self) { try await database.migrate(broken) }
        let observed12 = try await database.appliedMigrations()
        #expect(observed12 == [1, 2])
      }
    }
  }

  @Test("SQLite migrations survive reopening the file")
  func reopen() async throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    do {
      let database = try SQLiteStore(directory: directory, fileName: "p.sqlite")
      let observed13 = try await database.migrate(Self.migrations)
      #expect(observed13 == [1, 2])
      try await database.pool.write { try $0.execute(sql: "INSERT INTO widgets (id, name) VALUES (1, 'a')") }
    }
    let reopened = try SQLiteStore(directory: directory, fileName: "p.sqlite")
    let observed14 = try await reopened.migrate(Self.migrations)
    #expect(observed14 == [])
    let count = try await reopened.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM widgets") }
    #expect(count == 1)
  }

  @Test("out-of-order versions are refused before anything runs")
  func versionsMustIncrease() async throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let database = try SQLiteStore(directory: directory, fileName: "p.sqlite")
    let reversed = Array(Self.migrations.reversed())
    await #expect(throws: StartupError.self) { try await database.migrate(reversed) }
  }

  @Test("an unusable data dir is one clear error naming it")
  func unusableDataDirectory() throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let file = (directory as NSString).appendingPathComponent("a-file")
    FileManager.default.createFile(atPath: file, contents: Data())
    #expect {
      _ = try SQLiteStore(directory: file, fileName: "p.sqlite")
    } throws: { error in
      (error as? StartupError)?.message.contains(file) == true
    }
    let nested = (file as NSString).appendingPathComponent("below")
    #expect {
      _ = try SQLiteStore(directory: nested, fileName: "p.sqlite")
    } throws: { error in
      (error as? StartupError)?.message.contains(nested) == true
    }
  }
}
