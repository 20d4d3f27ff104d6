import MLOpsCore

/// What run and experiment searches share: collecting binds in placeholder order, string
/// comparisons (LIKE case-sensitive, ILIKE), and keyset continuation after the last row's
/// sort values.
protocol SearchStatement {
  var dialect: SQLDialect { get }
  var binds: [SQLValue] { get set }
  var components: [RunSearchSQL.Component] { get }
}

extension SearchStatement {
  /// A `?` for `value`, bound in order (``SQLExecutor`` numbers them for PostgreSQL).
  mutating func bind(_ value: SQLValue) -> String {
    binds.append(value)
    return "?"
  }

  mutating func textCondition(_ column: String, _ op: RunFilter.Operator, _ value: RunFilter.Operand) throws -> String {
    switch (op, value) {
    case (.equal, .text(let v)), (.notEqual, .text(let v)), (.like, .text(let v)):
      return "\(column) \(op == .notEqual ? "<>" : op.rawValue) \(bind(.text(v)))"
    case (.ilike, .text(let v)):
      return dialect == .postgres ? "\(column) ILIKE \(bind(.text(v)))" : "lower(\(column)) LIKE lower(\(bind(.text(v))))"
    case (.isIn, .list(let vs)), (.notIn, .list(let vs)):
      return "\(column) \(op == .isIn ? "IN" : "NOT IN") (" + vs.map { bind(.text($0)) }.joined(separator: ", ") + ")"
    default:
      throw TrackerError.invalidArgument(field: "filter", reason: "\(op.rawValue) cannot compare a string with this value")
    }
  }

  /// (c1, c2, …) after (v1, v2, …) in the mixed-direction sort order, spelled out as
  /// OR-of-ANDs so both backends can use it.
  mutating func keyset(_ values: [RunSearch.SortValue]) throws -> String {
    guard values.count == components.count else {
      throw TrackerError.invalidArgument(field: "page_token", reason: "does not match this search's order")
    }
    var alternatives: [String] = []
    for i in components.indices {
      var parts: [String] = []
      for j in 0..<i { parts.append("\(components[j].sql) = \(try bindSort(values[j]))") }
      parts.append("\(components[i].sql) \(components[i].descending ? "<" : ">") \(try bindSort(values[i]))")
      alternatives.append("(" + parts.joined(separator: " AND ") + ")")
    }
    return "(" + alternatives.joined(separator: " OR ") + ")"
  }

  private mutating func bindSort(_ value: RunSearch.SortValue) throws -> String {
    switch value {
    case .number(let d): return d == d.rounded() && abs(d) < 9e15 ? bind(.int(Int64(d))) : bind(.double(d))
    case .text(let s): return bind(.text(s))
    case .null: throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this tracker issued")
    }
  }
}
