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

  /// The whole transaction in one visit to the write connection's queue. ``transaction(_:)``
  /// visits it once per statement, plus BEGIN and COMMIT; each visit wakes a queue thread and
  /// then the awaiting task, and while other work keeps both cores busy each wake can wait a
  /// scheduler slice, which an ingest stream pays on every batch.
  public func write(_ statements: [(sql: String, binds: [SQLValue])]) async throws {
    try await database.transactionLock.withLock {
      try await database.pool.writeWithoutTransaction { db in
        try db.inTransaction(.immediate) {
          try Writer.executeAll(db, statements)
          return .commit
        }
      }
    }
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
      try await pool.writeWithoutTransaction { db in try db.statement(sql, binding: binds).execute() }
    }

    /// One visit to the write queue for all of them (see ``SQLiteExecutor/write(_:)``).
    func executeAll(_ statements: [(sql: String, binds: [SQLValue])]) async throws {
      try await pool.writeWithoutTransaction { db in try Self.executeAll(db, statements) }
    }

    static func executeAll(_ db: Database, _ statements: [(sql: String, binds: [SQLValue])]) throws {
      for statement in statements { try db.statement(statement.sql, binding: statement.binds).execute() }
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, [SQLValue]) throws -> Void
    ) async throws -> State {
      try await pool.writeWithoutTransaction { db in try Self.scan(db, sql, binds, state, step) }
    }

    /// Reads each column straight into a ``SQLValue`` in one reused array (stepping through
    /// ``GRDB/Statement/forEachRow(_:)``): GRDB's row cursor built a `Row`, then an array of
    /// `DatabaseValue`s to convert, for every row — a monitor window or a page of runs is tens
    /// of thousands of them.
    static func scan<State>(_ db: Database, _ sql: String, _ binds: [SQLValue], _ initial: State, _ step: (inout State, [SQLValue]) throws -> Void) throws -> State {
      var state = initial
      let statement = try db.statement(sql, binding: binds)
      let count = Int32(statement.columnCount)
      var row: [SQLValue] = []
      row.reserveCapacity(Int(count))
      try statement.forEachRow { current in
        row.removeAll(keepingCapacity: true)
        for column in 0..<count { row.append(SQLValue(column: column, of: current.statement)) }
        try step(&state, row)
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

  /// A result column of the row `statement` stands on, copied out of SQLite's buffers.
  init(column: Int32, of statement: OpaquePointer) {
    switch sqlite3_column_type(statement, column) {
    case SQLITE_NULL: self = .null
    case SQLITE_INTEGER: self = .int(sqlite3_column_int64(statement, column))
    case SQLITE_FLOAT: self = .double(sqlite3_column_double(statement, column))
    case SQLITE_TEXT:
      let bytes = sqlite3_column_text(statement, column)  // before _bytes, as SQLite asks
      let count = Int(sqlite3_column_bytes(statement, column))
      self = .text(bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? "")
    default:
      let bytes = sqlite3_column_blob(statement, column)
      let count = Int(sqlite3_column_bytes(statement, column))
      self = .blob(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    }
  }
}
