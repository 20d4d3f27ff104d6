import Foundation
import Logging
import NIOCore
import PostgresNIO

/// ``SQLExecutor`` on PostgreSQL: `?` placeholders become `$1…$n`, values bind as int8,
/// float8, text and bytea.
public struct PostgresExecutor: SQLExecutor {
  let database: PostgresStore
  let logger: Logger

  /// PostgreSQL's fragments.
  public var dialect: SQLDialect { .postgres }

  public init(database: PostgresStore, logger: Logger = Logger(label: "mlops.sql")) {
    self.database = database
    self.logger = logger
  }

  public func transaction<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await database.transaction(logger: logger) { c in try await body(Connection(connection: c, logger: logger)) }
  }

  public func read<Result: Sendable>(_ body: @Sendable (any SQLConnection) async throws -> Result) async throws -> Result {
    try await database.client.withConnection { c in try await body(Connection(connection: c, logger: logger)) }
  }

  struct Connection: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [[SQLValue]] {
      let rows = try await connection.query(try Self.statement(sql, binds), logger: logger)
      var result: [[SQLValue]] = []
      for try await row in rows {
        result.append(try row.map(Self.value))
      }
      return result
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
      _ = try await connection.query(try Self.statement(sql, binds), logger: logger)
    }

    func scan<State: Sendable>(
      _ sql: String, _ binds: [SQLValue], into state: State, _ step: @escaping @Sendable (inout State, SQLRow) throws -> Void
    ) async throws -> State {
      var state = state
      for try await row in try await connection.query(try Self.statement(sql, binds), logger: logger) {
        try step(&state, SQLRow(source: .cells(try row.map(Self.value))))
      }
      return state
    }

    static func statement(_ sql: String, _ binds: [SQLValue]) throws -> PostgresQuery {
      // Scanned as bytes: a 500-row INSERT is thousands of characters, and `?` is ASCII.
      var text = ""
      text.reserveCapacity(sql.utf8.count + binds.count * 3)
      var index = 0
      var start = sql.startIndex
      for position in sql.utf8.indices where sql.utf8[position] == UInt8(ascii: "?") {
        index += 1
        text += sql[start..<position]
        text += "$\(index)"
        start = sql.utf8.index(after: position)
      }
      text += sql[start...]
      var bindings = PostgresBindings(capacity: binds.count)
      for bind in binds {
        switch bind {
        case .null: bindings.appendNull()
        case .int(let value): bindings.append(value)
        case .double(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .blob(let value): bindings.append(ByteBuffer(bytes: value))
        }
      }
      return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
      guard cell.bytes != nil else { return .null }
      switch cell.dataType {
      case .int8: return .int(try cell.decode(Int64.self))
      case .int4: return .int(Int64(try cell.decode(Int32.self)))
      case .int2: return .int(Int64(try cell.decode(Int16.self)))
      case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
      case .float8, .float4, .numeric: return .double(try cell.decode(Double.self))
      case .bytea:
        var buffer = try cell.decode(ByteBuffer.self)
        return .blob(Data(buffer.readBytes(length: buffer.readableBytes) ?? []))
      default: return .text(try cell.decode(String.self))
      }
    }
  }
}
