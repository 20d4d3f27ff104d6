import Foundation
import GRDB
import GRDBSQLite

/// ``SQLExecutor`` on the embedded SQLite database. A transaction holds the executor's lock
/// and keeps SQLite's one write connection in `BEGIN IMMEDIATE` across its statements, so the
/// body may await between statements as PostgreSQL's does. Every write of every repository
/// goes through that lock: it is the process's one SQLite transaction model.
///
/// Inside a transaction each statement runs on the calling thread (GRDB's synchronous
/// `writeWithoutTransaction`, a `DispatchQueue.sync` on the writer queue, which the lock keeps
/// idle): handing each statement to the queue's thread and resuming the task afterwards cost
/// two thread wake-ups per statement, which `scripts/ab-ingest-calls.sh` put at 4–15% of a
/// small call's server CPU. Transactions are short (a few statements); a bulk batch goes
/// through ``write(_:)`` in one visit instead.
public struct SQLiteExecutor: SQLExecutor {
  let database: SQLiteStore

  /// SQLite's fragments.
  public var dialect: SQLDialect { .sqlite }

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func transaction<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await database.transactionLock.withLock {
      try Self.onWriter(database.pool) { db in try db.execute(sql: "BEGIN IMMEDIATE") }
      do {
        let result = try await body(Writer(pool: database.pool))
        try Self.onWriter(database.pool) { db in try db.execute(sql: "COMMIT") }
        return result
      } catch {
        try? Self.onWriter(database.pool) { db in
          if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
        throw error
      }
    }
  }

  public func read<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await body(Reader(pool: database.pool, inline: false))
  }

  /// A reader connection used on the calling thread: GRDB's async read costs two wake-ups,
  /// which `scripts/ab-alias.sh` put at 15% of an alias lookup's server CPU.
  public func lookup<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await body(Reader(pool: database.pool, inline: true))
  }

  /// GRDB's synchronous write access without a transaction: on the calling thread when the
  /// writer queue is idle. (From an async function the compiler picks GRDB's async overload,
  /// which hands the closure to the queue's thread; this sync wrapper selects the other.)
  static func onWriter<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
    try pool.writeWithoutTransaction(body)
  }

  /// GRDB's synchronous read on a pooled reader connection, on the calling thread.
  static func onReader<T>(_ pool: DatabasePool, _ body: (Database) throws -> T) throws -> T {
    try pool.unsafeRead(body)
  }

  /// A bulk batch (an ingest's many multi-row INSERTs) in one transaction, handed to the
  /// write queue's own thread: a batch can take tens of milliseconds, too long to hold one of
  /// the few threads that run every task of the process.
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
      try SQLiteExecutor.onWriter(pool) { db in try Self.rows(db, sql, binds) }
    }

    func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]] {
      try SQLiteExecutor.onWriter(pool) { db in try bindSets.map { try Self.rows(db, sql, $0) } }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
      try SQLiteExecutor.onWriter(pool) { db in try db.statement(sql, binding: binds).execute() }
    }

    /// All of them in one visit to the write connection.
    func executeAll(_ statements: [(sql: String, binds: [SQLValue])]) async throws {
      try SQLiteExecutor.onWriter(pool) { db in try Self.executeAll(db, statements) }
    }

    static func executeAll(_ db: Database, _ statements: [(sql: String, binds: [SQLValue])]) throws {
      for statement in statements { try db.statement(statement.sql, binding: statement.binds).execute() }
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, SQLRow) throws -> Void
    ) async throws -> State {
      try SQLiteExecutor.onWriter(pool) { db in try Self.scan(db, sql, binds, state, step) }
    }

    /// Steps the statement, handing `step` each row as a ``SQLRow`` over the statement itself
    /// (GRDB's row cursor built a `Row`, then an array of `DatabaseValue`s to convert, for every
    /// row — a monitor window or a page of runs is tens of thousands of them).
    static func scan<State>(
      _ db: Database, _ sql: String, _ binds: [SQLValue], _ initial: State, _ step: (inout State, SQLRow) throws -> Void
    ) throws -> State {
      var state = initial
      try db.statement(sql, binding: binds).forEachRow { current in
        try step(&state, SQLRow(source: .sqlite(current)))
      }
      return state
    }

    /// Every row, each as its cells in select order.
    static func rows(_ db: Database, _ sql: String, _ binds: [SQLValue]) throws -> [[SQLValue]] {
      var rows: [[SQLValue]] = []
      let statement = try db.statement(sql, binding: binds)
      let count = Int32(statement.columnCount)
      try statement.forEachRow { current in
        rows.append((0..<count).map { SQLValue(column: $0, of: current) })
      }
      return rows
    }
  }

  /// A reader connection from the pool: handed to GRDB's async read (a result may be large),
  /// or used on the calling thread for ``SQLiteExecutor/lookup(_:)``.
  struct Reader: SQLConnection {
    let pool: DatabasePool
    let inline: Bool

    private func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
      inline ? try SQLiteExecutor.onReader(pool, body) : try await pool.unsafeRead(body)
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      try await reading { db in try Writer.rows(db, sql, binds) }
    }

    func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]] {
      try await reading { db in try bindSets.map { try Writer.rows(db, sql, $0) } }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
      _ = try await query(sql, binds)
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, SQLRow) throws -> Void
    ) async throws -> State {
      try await reading { db in try Writer.scan(db, sql, binds, state, step) }
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
