import MLOpsCore

/// SearchExperiments in domain terms: MLflow's experiment filter (`name`, `tags.<key>`,
/// `creation_time`, `last_update_time`), order_by and keyset paging.
public struct ExperimentSearch: Sendable {
  public enum Field: Sendable, Equatable { case name, creationTime, lastUpdateTime, experimentID, tag(String) }
  public struct Comparison: Sendable, Equatable {
    public var field: Field
    public var op: RunFilter.Operator
    public var value: RunFilter.Operand
  }
  public struct OrderKey: Sendable, Equatable {
    public var field: Field
    public var descending: Bool
  }

  public var comparisons: [Comparison]
  public var order: [OrderKey]
  public var view: RunSearch.View
  public var limit: Int
  public var after: [RunSearch.SortValue]?

  /// Parses a filter, reusing the run filter's lexer, so errors name positions the same way.
  public static func parseFilter(_ text: String) throws -> [Comparison] {
    var parser = RunFilterParser(tokens: try RunFilterLexer.tokens(text))
    if parser.current.kind == .end { return [] }
    var result: [Comparison] = []
    while true {
      let field = try self.field(&parser)
      let opToken = parser.current
      let op = try parser.op()
      let value = try parser.operand(for: op)
      let numeric = field == .creationTime || field == .lastUpdateTime
      try parser.check(numeric: numeric, lists: !numeric, nulls: false, op, value, at: opToken)
      result.append(Comparison(field: field, op: op, value: value))
      if parser.current.kind == .end { return result }
      guard parser.current.kind == .identifier, parser.current.text.uppercased() == "AND" else { throw parser.fail("expected AND") }
      _ = parser.next()
    }
  }

  static func field(_ parser: inout RunFilterParser) throws -> Field {
    let token = parser.current
    guard token.kind == .identifier else { throw parser.fail("expected name, creation_time, last_update_time or tags.<key>") }
    let lowered = token.text.lowercased()
    let bare =
      lowered.hasPrefix("attributes.") || lowered.hasPrefix("attribute.") ? String(lowered.drop { $0 != "." }.dropFirst()) : lowered
    switch bare {
    case "name":
      _ = parser.next()
      return .name
    case "creation_time":
      _ = parser.next()
      return .creationTime
    case "last_update_time":
      _ = parser.next()
      return .lastUpdateTime
    case "experiment_id":
      _ = parser.next()
      return .experimentID
    default:
      guard case .tag(let key) = try parser.entity() else {
        throw parser.fail("expected name, creation_time, last_update_time or tags.<key>", token)
      }
      return .tag(key)
    }
  }

  public static func parseOrder(_ clauses: [String]) throws -> [OrderKey] {
    try clauses.enumerated().map { index, clause in
      let parts = clause.split(separator: " ", omittingEmptySubsequences: true)
      guard (1...2).contains(parts.count), parts.count == 1 || ["ASC", "DESC"].contains(parts[1].uppercased()) else {
        throw TrackerError.invalidArgument(field: "order_by[\(index)]", reason: "'\(clause)' is not '<field> [ASC|DESC]'")
      }
      let field: Field
      switch parts[0].lowercased() {
      case "name", "attributes.name": field = .name
      case "creation_time", "attributes.creation_time": field = .creationTime
      case "last_update_time", "attributes.last_update_time": field = .lastUpdateTime
      case "experiment_id", "attributes.experiment_id": field = .experimentID
      default:
        throw TrackerError.invalidArgument(
          field: "order_by[\(index)]", reason: "can order by name, creation_time, last_update_time or experiment_id")
      }
      return OrderKey(field: field, descending: parts.count == 2 && parts[1].uppercased() == "DESC")
    }
  }
}

/// The statement for either backend; binds are collected in order.
struct ExperimentSearchSQL: SearchStatement {
  let dialect: SQLDialect
  var binds: [SQLValue] = []
  private(set) var components: [RunSearchSQL.Component] = []

  init(dialect: SQLDialect) { self.dialect = dialect }

  static func column(_ field: ExperimentSearch.Field) -> String {
    switch field {
    case .name: "e.name"
    case .creationTime: "e.creation_time"
    case .lastUpdateTime: "e.last_update_time"
    case .experimentID, .tag: "e.experiment_id"
    }
  }

  mutating func statement(_ search: ExperimentSearch) throws -> String {
    let order = search.order.isEmpty ? [ExperimentSearch.OrderKey(field: .lastUpdateTime, descending: true)] : search.order
    components = order.map { .init(sql: Self.column($0.field), descending: $0.descending, numeric: $0.field != .name) }
    components.append(.init(sql: "e.experiment_id", descending: false, numeric: true))
    var conditions: [String] = []
    switch search.view {
    case .active: conditions.append("e.lifecycle_stage = 0")
    case .deleted: conditions.append("e.lifecycle_stage = 1")
    case .all: break
    }
    for c in search.comparisons { conditions.append(try condition(c)) }
    if let after = search.after { conditions.append(try keyset(after)) }
    let columns = components.enumerated().map { "\($0.element.sql) AS k\($0.offset)" }.joined(separator: ", ")
    let orderSQL = components.map { "\($0.sql) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
    let whereSQL = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    return "SELECT e.experiment_id, \(columns) FROM experiments e \(whereSQL) ORDER BY \(orderSQL) LIMIT \(bind(.int(Int64(search.limit))))"
  }

  private mutating func condition(_ c: ExperimentSearch.Comparison) throws -> String {
    switch c.field {
    case .creationTime, .lastUpdateTime, .experimentID:
      guard case .number(let v) = c.value else { return "1 = 0" }
      return "\(Self.column(c.field)) \(c.op.rawValue) \(bind(.int(v.clampedInt64)))"
    case .name: return try textCondition("e.name", c.op, c.value)
    case .tag(let key):
      return
        "e.experiment_id IN (SELECT experiment_id FROM experiment_tags WHERE key = \(bind(.text(key))) AND \(try textCondition("value", c.op, c.value)))"
    }
  }
}
