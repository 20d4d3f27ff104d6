import Foundation
import GRDB
import GRDBSQLite

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
      try await pool.writeWithoutTransaction { db in try Self.prepared(db, sql, binds).execute() }
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, [SQLValue]) throws -> Void
    ) async throws -> State {
      try await pool.writeWithoutTransaction { db in try Self.scan(db, sql, binds, state, step) }
    }

    /// The cached statement with `binds` bound through SQLite's C API: converting and
    /// validating a 1,000-value multi-row INSERT's arguments in GRDB cost more than SQLite's
    /// own work. The statements are ours and bind exactly their placeholders.
    static func prepared(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> Statement {
      let statement = try db.cachedStatement(sql: sql)
      statement.setUncheckedArguments(StatementArguments())
      for (index, value) in binds.enumerated() { value.bind(to: statement.sqliteStatement, at: Int32(index + 1)) }
      return statement
    }

    static func scan<State>(_ db: Database, _ sql: String, _ binds: [SQLValue], _ initial: State, _ step: (inout State, [SQLValue]) throws -> Void) throws -> State {
      var state = initial
      let cursor = try Row.fetchCursor(try prepared(db, sql, binds))
      while let row = try cursor.next() {
        try step(&state, row.databaseValues.map(SQLValue.init))
      }
      return state
    }

    static func rows(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> [[SQLValue]] {
      try scan(db, sql, binds, []) { $0.append($1) }
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
  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Binds the value to a prepared statement's parameter (1-based), copying text and blobs.
  func bind(to statement: OpaquePointer, at index: Int32) {
    switch self {
    case .null: sqlite3_bind_null(statement, index)
    case .int(let value): sqlite3_bind_int64(statement, index, value)
    case .double(let value): sqlite3_bind_double(statement, index, value)
    case .text(let value): sqlite3_bind_text(statement, index, value, Int32(value.utf8.count), Self.transient)
    case .blob(let value):
      value.withUnsafeBytes { bytes in
        if bytes.isEmpty {
          sqlite3_bind_zeroblob(statement, index, 0)
        } else {
          sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
      }
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
