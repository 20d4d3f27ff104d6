import Foundation
import GRDB
import Logging
import MLOpsTestSupport
import Testing

@testable import MLOpsCore

@Suite("SQLite checkpoints off the write path")
struct SQLiteCheckpointerTests {
  /// Pages reach the database file only through a checkpoint; 2 MiB of commits stays below
  /// the writer's own threshold either way, so only the background checkpointer moves them.
  @Test("committed pages reach the database file without the writer checkpointing, and the writer's threshold comes back")
  func checkpointsInBackground() async throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let (database, file) = try await Self.blobTable(in: directory)
    let checkpointer = Task { await SQLiteCheckpointer(store: database, interval: .milliseconds(20), logger: Logger(label: "test")).run() }
    #expect(try await Self.eventually { try await Self.writerThreshold(database) == SQLiteCheckpointer.writerThreshold })
    let before = try Self.size(file)
    for batch in 0..<20 {
      try await database.pool.write { db in
        for row in 0..<100 {
          try db.execute(sql: "INSERT INTO blobs (id, data) VALUES (?, zeroblob(1024))", arguments: [batch * 100 + row])
        }
      }
    }
    #expect(try await Self.eventually { try Self.size(file) >= before + 2_000_000 }, "the database file did not grow")
    checkpointer.cancel()
    await checkpointer.value
    #expect(try await Self.writerThreshold(database) == SQLiteCheckpointer.defaultThreshold)
    let rows = try await database.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM blobs") }
    #expect(rows == 2000)
  }

  @Test("without the checkpointer the same commits stay in the log")
  func writerAloneLeavesThemInTheLog() async throws {
    let directory = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(directory) }
    let (database, file) = try await Self.blobTable(in: directory)
    let before = try Self.size(file)
    try await database.pool.write { db in
      for row in 0..<2000 { try db.execute(sql: "INSERT INTO blobs (id, data) VALUES (?, zeroblob(1024))", arguments: [row]) }
    }
    try await Task.sleep(for: .milliseconds(200))
    #expect(try Self.size(file) < before + 2_000_000)
  }

  /// A fresh database holding an empty `blobs` table, and the path of its file.
  static func blobTable(in directory: String) async throws -> (SQLiteStore, String) {
    let database = try SQLiteStore(directory: directory, fileName: "c.sqlite")
    try await database.pool.write { try $0.execute(sql: "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)") }
    return (database, (directory as NSString).appendingPathComponent("c.sqlite"))
  }

  static func writerThreshold(_ database: SQLiteStore) async throws -> Int? {
    try await database.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
  }

  static func size(_ path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
  }

  /// Polls for up to 30 seconds (a loaded CI machine is slow; a passing check returns at once).
  static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<1500 {
      if try await condition() { return true }
      try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
  }
}
