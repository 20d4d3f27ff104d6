import GRDB
import GRDBSQLite

/// The row a statement stands on while ``GRDB/Statement/forEachRow(_:)`` steps it, read by
/// position straight from SQLite. GRDB's `Row` converts every value through generic
/// `DatabaseValueConvertible` code, and a page of SearchRuns reads tens of thousands of them.
/// Valid only inside the closure it is passed to.
public struct SQLiteRow {
  let statement: OpaquePointer

  public var columnCount: Int { Int(sqlite3_column_count(statement)) }

  public func isNull(_ column: Int) -> Bool {
    sqlite3_column_type(statement, Int32(column)) == SQLITE_NULL
  }

  /// The column as an integer; 0 for NULL, as SQLite converts it.
  public func int(_ column: Int) -> Int64 {
    sqlite3_column_int64(statement, Int32(column))
  }

  public func optionalInt(_ column: Int) -> Int64? {
    isNull(column) ? nil : int(column)
  }

  /// The column as a double; 0 for NULL, as SQLite converts it.
  public func double(_ column: Int) -> Double {
    sqlite3_column_double(statement, Int32(column))
  }

  public func optionalDouble(_ column: Int) -> Double? {
    isNull(column) ? nil : double(column)
  }

  /// The column as text (numbers converted by SQLite); "" for NULL.
  public func text(_ column: Int) -> String {
    guard let bytes = sqlite3_column_text(statement, Int32(column)) else { return "" }  // before _bytes, as SQLite asks
    let count = Int(sqlite3_column_bytes(statement, Int32(column)))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }
}

extension Statement {
  /// Steps the statement, its arguments already bound, calling `body` with each row; the
  /// statement is reset whatever happens, so a cached one is reused.
  public func forEachRow(_ body: (SQLiteRow) throws -> Void) throws {
    let statement = sqliteStatement
    defer { sqlite3_reset(statement) }
    while true {
      let code = sqlite3_step(statement)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))), sql: sql)
      }
      try body(SQLiteRow(statement: statement))
    }
  }
}
