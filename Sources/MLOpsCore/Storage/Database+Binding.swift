import GRDB

extension Database {
  /// The cached statement with `binds` bound through SQLite's C API. GRDB's arguments convert
  /// and validate every value generically, which for a multi-row INSERT of hundreds of values
  /// cost more than SQLite's own work. The statement must have exactly `binds.count`
  /// placeholders: unlike GRDB's arguments, nothing checks that.
  public func statement(_ sql: String, binding binds: [SQLValue]) throws -> Statement {
    let statement = try cachedStatement(sql: sql)
    statement.setUncheckedArguments(StatementArguments())
    for (index, value) in binds.enumerated() { value.bind(to: statement.sqliteStatement, at: Int32(index + 1)) }
    return statement
  }
}
