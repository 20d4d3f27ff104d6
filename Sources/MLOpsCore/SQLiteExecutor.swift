import Foundation
import GRDB

/// ``SQLExecutor`` on the embedded SQLite database. A transaction holds the executor's lock
/// and keeps SQLite's one write connection in `BEGIN IMMEDIATE` across its statements (each
/// an await on GRDB's writer), so the body may await between statements as PostgreSQL's
/// does. Every write of a repository built on this executor goes through that lock.
public struct SQLiteExecutor: SQLExecutor {
  let database: SQLiteStore

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func transaction<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await database.transactionLock.withLock {
      try await database.pool.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
      do {
        let result = try await body(Writer(pool: database.pool))
        try await database.pool.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        return result
      } catch {
        try? await database.pool.writeWithoutTransaction { db in
          if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
        throw error
      }
    }
  }

  public func read<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await body(Reader(pool: database.pool))
  }

  struct Writer: SQLConnection {
    let pool: DatabasePool

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      try await pool.writeWithoutTransaction { db in try Self.rows(db, sql, binds) }
    }

    func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]] {
      try await pool.writeWithoutTransaction { db in try bindSets.map { try Self.rows(db, sql, $0) } }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
      try await pool.writeWithoutTransaction { db in
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(binds.map(\.databaseValue)))
      }
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, [SQLValue]) throws -> Void
    ) async throws -> State {
      try await pool.writeWithoutTransaction { db in try Self.scan(db, sql, binds, state, step) }
    }

    static func scan<State>(_ db: Database, _ sql: String, _ binds: [SQLValue], _ initial: State, _ step: (inout State, [SQLValue]) throws -> Void) throws -> State {
      let statement = try db.cachedStatement(sql: sql)
      statement.arguments = StatementArguments(binds.map(\.databaseValue))
      var state = initial
      let cursor = try Row.fetchCursor(statement)
      while let row = try cursor.next() {
        try step(&state, row.databaseValues.map(SQLValue.init))
      }
      return state
    }

    static func rows(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> [[SQLValue]] {
      let statement = try db.cachedStatement(sql: sql)
      statement.arguments = StatementArguments(binds.map(\.databaseValue))
      var rows: [[SQLValue]] = []
      let cursor = try Row.fetchCursor(statement)
      while let row = try cursor.next() {
        rows.append(row.databaseValues.map(SQLValue.init))
      }
      return rows
    }
  }

  struct Reader: SQLConnection {
    let pool: DatabasePool

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      try await pool.read { db in try Writer.rows(db, sql, binds) }
    }

    func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]] {
      try await pool.read { db in try bindSets.map { try Writer.rows(db, sql, $0) } }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
      _ = try await query(sql, binds)
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, [SQLValue]) throws -> Void
    ) async throws -> State {
      try await pool.read { db in try Writer.scan(db, sql, binds, state, step) }
    }
  }
}

extension SQLValue {
  var databaseValue: DatabaseValue {
    switch self {
    case .null: .null
    case .int(let value): value.databaseValue
    case .double(let value): value.databaseValue
    case .text(let value): value.databaseValue
    case .blob(let value): value.databaseValue
    }
  }

  init(_ value: DatabaseValue) {
    switch value.storage {
    case .null: self = .null
    case .int64(let value): self = .int(value)
    case .double(let value): self = .double(value)
    case .string(let value): self = .text(value)
    case .blob(let value): self = .blob(value)
    }
  }
}
