/// A RunSearch as one SQL statement for either backend. Every filter is an `IN (subquery)` on
/// an indexed (key, value) table, and paging is keyset-based on the full sort key, so a page
/// never repeats or skips a run while others are being added.
struct RunSearchSQL {
  enum Bind: Sendable { case int(Int64), double(Double), text(String) }
  enum Dialect { case sqlite, postgres }
  /// One column of the sort key: its SQL, direction, and how to read it back.
  struct Component { var sql: String; var descending: Bool; var numeric: Bool }

  let dialect: Dialect
  private(set) var binds: [Bind] = []
  private(set) var components: [Component] = []

  init(dialect: Dialect) {
    self.dialect = dialect
  }

  private mutating func bind(_ value: Bind) -> String {
    binds.append(value)
    return dialect == .sqlite ? "?" : "$\(binds.count)"
  }

  /// The statement selecting `run_id` and every sort component, in order.
  mutating func statement(_ search: RunSearch) throws -> String {
    var joins: [String] = []
    for (i, key) in search.order.enumerated() { joins += orderComponents(key, alias: "o\(i)") }
    components += [Component(sql: "r.start_time", descending: true, numeric: true), Component(sql: "r.run_id", descending: false, numeric: false)]
    var conditions = ["r.experiment_id IN (" + search.experimentIDs.map { bind(.int($0)) }.joined(separator: ", ") + ")"]
    switch search.view {
    case .active: conditions.append("r.lifecycle_stage = 0")
    case .deleted: conditions.append("r.lifecycle_stage = 1")
    case .all: break
    }
    for comparison in search.filter.comparisons { conditions.append(try condition(comparison)) }
    if let after = search.after { conditions.append(try keyset(after)) }
    let columns = components.enumerated().map { "\($0.element.sql) AS k\($0.offset)" }.joined(separator: ", ")
    let order = components.map { "\($0.sql) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
    return "SELECT r.run_id, \(columns) FROM runs r \(joins.joined(separator: " ")) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(bind(.int(Int64(search.limit))))"
  }

  /// Metric/param/tag keys sort missing values last in either direction: a "missing" flag
  /// ascending, then the value in the requested direction.
  private mutating func orderComponents(_ key: RunSearch.OrderKey, alias: String) -> [String] {
    func keyed(_ table: String, _ k: String, numeric: Bool) -> [String] {
      let join = "LEFT JOIN \(table) \(alias) ON \(alias).run_id = r.run_id AND \(alias).key = \(bind(.text(k)))"
      let missing = numeric ? "\(alias).run_id IS NULL OR \(alias).is_nan = 1" : "\(alias).run_id IS NULL"
      components.append(Component(sql: "(CASE WHEN \(missing) THEN 1 ELSE 0 END)", descending: false, numeric: true))
      components.append(Component(sql: numeric ? "COALESCE(\(alias).value, 0)" : "COALESCE(\(alias).value, '')", descending: key.descending, numeric: numeric))
      return [join]
    }
    switch key.entity {
    case .metric(let k): return keyed("latest_metrics", k, numeric: true)
    case .param(let k): return keyed("params", k, numeric: false)
    case .tag(let k): return keyed("run_tags", k, numeric: false)
    case .attribute(let a):
      if a == .endTime {
        components.append(Component(sql: "(CASE WHEN r.end_time IS NULL THEN 1 ELSE 0 END)", descending: false, numeric: true))
        components.append(Component(sql: "COALESCE(r.end_time, 0)", descending: key.descending, numeric: true))
      } else {
        components.append(Component(sql: Self.column(a), descending: key.descending, numeric: a.isNumeric || a == .status))
      }
      return []
    case .dataset: return []
    }
  }

  static func column(_ a: RunFilter.Attribute) -> String {
    switch a {
    case .status: "r.status"
    case .startTime: "r.start_time"
    case .endTime: "r.end_time"
    case .runName: "r.name"
    case .runID: "r.run_id"
    case .userID: "r.user_id"
    }
  }

  private mutating func condition(_ c: RunFilter.Comparison) throws -> String {
    switch c.entity {
    case .metric(let k):
      guard case .number(let v) = c.value else { return "1 = 0" }
      return "r.run_id IN (SELECT run_id FROM latest_metrics WHERE key = \(bind(.text(k))) AND is_nan = 0 AND value \(c.op.rawValue) \(bind(.double(v))))"
    case .param(let k): return "r.run_id IN (SELECT run_id FROM params WHERE key = \(bind(.text(k))) AND \(try textCondition("value", c)))"
    case .tag(let k): return "r.run_id IN (SELECT run_id FROM run_tags WHERE key = \(bind(.text(k))) AND \(try textCondition("value", c)))"
    case .dataset(let f):
      let column = f == .name ? "name" : (f == .digest ? "digest" : "context")
      return "r.run_id IN (SELECT run_id FROM run_inputs WHERE \(try textCondition(column, c)))"
    case .attribute(let a):
      if a.isNumeric {
        guard case .number(let v) = c.value else { return "1 = 0" }
        return "\(Self.column(a)) \(c.op.rawValue) \(bind(.int(Int64(v))))"
      }
      if a == .status { return try statusCondition(c) }
      return try textCondition(Self.column(a), c)
    }
  }

  private mutating func textCondition(_ column: String, _ c: RunFilter.Comparison) throws -> String {
    switch (c.op, c.value) {
    case (.equal, .text(let v)), (.notEqual, .text(let v)), (.like, .text(let v)):
      return "\(column) \(c.op == .notEqual ? "<>" : c.op.rawValue) \(bind(.text(v)))"
    case (.ilike, .text(let v)):
      return dialect == .postgres ? "\(column) ILIKE \(bind(.text(v)))" : "lower(\(column)) LIKE lower(\(bind(.text(v))))"
    case (.isIn, .list(let vs)), (.notIn, .list(let vs)):
      return "\(column) \(c.op == .isIn ? "IN" : "NOT IN") (" + vs.map { bind(.text($0)) }.joined(separator: ", ") + ")"
    default:
      throw TrackerError.invalidArgument(field: "filter", reason: "\(c.op.rawValue) cannot compare a string with this value")
    }
  }

  private mutating func statusCondition(_ c: RunFilter.Comparison) throws -> String {
    func code(_ name: String) throws -> Int64 {
      guard let status = RunStatus.allCases.first(where: { $0.name == name.uppercased() }) else {
        throw TrackerError.invalidArgument(field: "filter", reason: "'\(name)' is not a run status (\(RunStatus.allCases.map(\.name).joined(separator: ", ")))")
      }
      return Int64(status.rawValue)
    }
    switch (c.op, c.value) {
    case (.equal, .text(let v)): return "r.status = \(bind(.int(try code(v))))"
    case (.notEqual, .text(let v)): return "r.status <> \(bind(.int(try code(v))))"
    case (.isIn, .list(let vs)), (.notIn, .list(let vs)):
      let codes = try vs.map { bind(.int(try code($0))) }
      return "r.status \(c.op == .isIn ? "IN" : "NOT IN") (\(codes.joined(separator: ", ")))"
    default: throw TrackerError.invalidArgument(field: "filter", reason: "attributes.status takes =, !=, IN or NOT IN")
    }
  }

  /// (c1, c2, …) after (v1, v2, …) in the mixed-direction sort order, spelled out as
  /// OR-of-ANDs so both backends can use it.
  private mutating func keyset(_ values: [RunSearch.SortValue]) throws -> String {
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
