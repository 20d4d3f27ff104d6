import GRDB
import GRDBSQLite

extension Statement {
  /// Steps the statement, its arguments already bound, calling `body` on each row with the
  /// SQLite statement standing on it (read through ``SQLRow`` or ``SQLValue/init(column:of:)``);
  /// the statement is reset whatever happens, so a cached one is reused.
  func forEachRow(_ body: (OpaquePointer) throws -> Void) throws {
    let statement = sqliteStatement
    defer { sqlite3_reset(statement) }
    while true {
      let code = sqlite3_step(statement)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))), sql: sql)
      }
      try body(statement)
    }
  }
}
