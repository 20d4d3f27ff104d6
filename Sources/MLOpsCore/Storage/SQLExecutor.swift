/// SQL that runs unchanged on both backends, for repositories whose statements need no
/// backend-specific feature: `?` placeholders (numbered `$n` for PostgreSQL by the executor),
/// `INSERT … ON CONFLICT`, `RETURNING`. Schemas stay per backend (``Migration``); the
/// statements that use them are written once, so the two implementations cannot drift apart.
public protocol SQLExecutor: Sendable {
  /// Which backend runs the statements, for the few fragments that differ (``SQLDialect``).
  var dialect: SQLDialect { get }
  /// Runs `body` in one transaction: every statement commits together or none does, and
  /// errors thrown by `body` reach the caller as themselves.
  func transaction<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result
  /// Runs `body` without a transaction, for reads. Each statement sees what was committed
  /// when it ran (SQLite takes a pooled reader per statement), so a body that needs one
  /// snapshot across statements must not rely on it: rows another statement found may be gone.
  func read<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result
  /// ``read(_:)`` for a short lookup (an alias, a run by id, one page of runs): a backend may
  /// run it on the calling thread where handing it to another
  /// thread and back costs more than the lookup itself.
  func lookup<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result
  /// Statements whose results are not needed, in order, in one transaction: what an ingest
  /// batch's commit is. A backend may run them without handing control back between them.
  func write(_ statements: [(sql: String, binds: [SQLValue])]) async throws
}

extension SQLExecutor {
  /// ``read(_:)``, for backends with no cheaper way.
  public func lookup<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await read(body)
  }

  /// ``transaction(_:)`` around ``SQLConnection/executeAll(_:)``.
  public func write(_ statements: [(sql: String, binds: [SQLValue])]) async throws {
    try await transaction { try await $0.executeAll(statements) }
  }
}

/// One connection inside ``SQLExecutor/transaction(_:)`` or ``SQLExecutor/read(_:)``.
public protocol SQLConnection {
  /// Every row of the statement's result, each as its cells in select order.
  func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]]
  /// A statement whose result is not needed.
  func execute(_ sql: String, _ binds: [SQLValue]) async throws
  /// One statement run once per bind set, its results in order: for many point lookups
  /// (a point-in-time join's entities) without a round trip to the database's queue for each.
  func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]]
  /// Folds the rows into `state` one at a time, without holding them all: for results too
  /// large to materialise (a million-row window).
  func scan<State: Sendable>(
    _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, SQLRow) throws -> Void
  ) async throws -> State
  /// Statements whose results are not needed, in order: a batch's many multi-row INSERTs
  /// without handing control back between them where the backend can.
  func executeAll(_ statements: [(sql: String, binds: [SQLValue])]) async throws
}

extension SQLConnection {
  /// Each statement as its own ``execute(_:_:)``; backends that can batch them override this.
  public func executeAll(_ statements: [(sql: String, binds: [SQLValue])]) async throws {
    for statement in statements { try await execute(statement.sql, statement.binds) }
  }

  /// Each bind set as its own query; backends that can batch the lookups override this.
  public func queryEach(_ sql: String, _ bindSets: [[SQLValue]]) async throws -> [[[SQLValue]]] {
    var results: [[[SQLValue]]] = []
    results.reserveCapacity(bindSets.count)
    for binds in bindSets { results.append(try await query(sql, binds)) }
    return results
  }

  /// The first row, or nil.
  public func first(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLValue]? {
    try await query(sql, binds).first
  }
}

extension Storage {
  /// The storage as a ``SQLExecutor``.
  public var executor: any SQLExecutor {
    switch self {
    case .sqlite(let database): SQLiteExecutor(database: database)
    case .postgres(let database): PostgresExecutor(database: database)
    }
  }
}
