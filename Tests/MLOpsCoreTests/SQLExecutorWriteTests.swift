import MLOpsCore
import MLOpsTestSupport
import Testing

@Suite("SQLExecutor.write")
struct SQLExecutorWriteTests {
  static let migrations = [
    Migration(
      version: 1, name: "items",
      sqlite: ["CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"],
      postgres: ["CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL)"])
  ]

  @Test("statements run in order and commit together", arguments: TestBackend.available)
  func commitsInOrder(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: Self.migrations) { storage in
      let sql = storage.executor
      try await sql.write([
        ("INSERT INTO items (id, name) VALUES (?, ?), (?, ?)", [.int(1), .text("a"), .int(2), .text("b")]),
        ("UPDATE items SET name = ? WHERE id = ?", [.text("b2"), .int(2)]),
      ])
      let rows = try await sql.read { try await $0.query("SELECT id, name FROM items ORDER BY id", []) }
      #expect(rows == [[.int(1), .text("a")], [.int(2), .text("b2")]])
    }
  }

  @Test("a failing statement leaves nothing of the batch behind", arguments: TestBackend.available)
  func allOrNothing(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: Self.migrations) { storage in
      let sql = storage.executor
      try await sql.write([("INSERT INTO items (id, name) VALUES (?, ?)", [.int(1), .text("kept")])])
      await #expect(throws: (any Error).self) {
        try await sql.write([
          ("INSERT INTO items (id, name) VALUES (?, ?)", [.int(2), .text("dropped")]),
          ("INSERT INTO items (id, name) VALUES (?, ?)", [.int(1), .text("duplicate")]),
        ])
      }
      let rows = try await sql.read { try await $0.query("SELECT id, name FROM items ORDER BY id", []) }
      #expect(rows == [[.int(1), .text("kept")]])
      // The connection is usable afterwards: the failed transaction was rolled back.
      try await sql.write([("INSERT INTO items (id, name) VALUES (?, ?)", [.int(3), .text("later")])])
      let count = try await sql.read { try await $0.first("SELECT COUNT(*) FROM items", []) }
      #expect(count == [.int(2)])
    }
  }
}
