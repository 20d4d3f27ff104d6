import GRDB

/// Where SQL written once for both backends must still differ: row locks, a JSON array bound
/// as one value and read as rows, and how a unique-constraint violation is reported. A
/// repository asks its executor's dialect for these few fragments and writes everything
/// else once.
public enum SQLDialect: Sendable, Equatable {
  case sqlite
  case postgres

  /// Appended to a SELECT that reads a row the transaction will change, so concurrent
  /// writers (other replicas on one PostgreSQL) apply one after another. SQLite needs none:
  /// its one writer already holds the database for the whole transaction.
  public var forUpdate: String { self == .postgres ? " FOR UPDATE" : "" }

  /// Appended to a SELECT whose row must not change or vanish before the transaction commits
  /// (a run's experiment while the run is inserted).
  public var forShare: String { self == .postgres ? " FOR SHARE" : "" }

  /// A FROM-clause item reading a JSON array bound at `?` as rows `alias(value, key)`: each
  /// element (an integer, or with `text` a string) and its position from 0. One bound value
  /// instead of one placeholder per element keeps the statement's text fixed (SQLite keeps it
  /// compiled) and works for any number of elements.
  public func jsonList(_ alias: String, text: Bool = false) -> String {
    switch self {
    case .sqlite: "json_each(?) \(alias)"
    case .postgres:
      "(SELECT e\(text ? "" : "::bigint") AS value, n - 1 AS key FROM jsonb_array_elements_text(?::jsonb) WITH ORDINALITY AS x(e, n)) \(alias)"
    }
  }

  /// Whether `error` is a unique-constraint violation from either backend, so a repository
  /// can report a taken name as its domain's ALREADY_EXISTS error when two writers raced
  /// past its own check.
  public static func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? DatabaseError {
      return error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY
    }
    return PostgresStore.sqlState(of: error) == "23505"
  }
}
