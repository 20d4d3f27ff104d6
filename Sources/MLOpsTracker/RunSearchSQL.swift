import MLOpsCore

/// A RunSearch as one SQL statement for either backend. Every filter is an `IN (subquery)` on
/// an indexed (key, value) table, and paging is keyset-based on the full sort key, so a page
/// never repeats or skips a run while others are being added.
struct RunSearchSQL: SearchStatement {
  /// One column of the sort key: its SQL, direction, and how to read it back.
  struct Component {
    var sql: String
    var descending: Bool
    var numeric: Bool
  }

  let dialect: SQLDialect
  var binds: [SQLValue] = []
  private(set) var components: [Component] = []

  init(dialect: SQLDialect) {
    self.dialect = dialect
  }

  /// The statement selecting `selecting` (by default the run id) and then every sort
  /// component, in order. A backend that selects the run's own columns here saves the
  /// separate load of the runs it found: the driving query has already read their rows.
  mutating func statement(_ search: RunSearch, selecting: String = "r.run_id") throws -> String {
    var joins: [String] = []
    for (i, key) in search.order.enumerated() { joins += orderComponents(key, alias: "o\(i)") }
    components += [
      Component(sql: "r.start_time", descending: true, numeric: true), Component(sql: "r.run_id", descending: false, numeric: false),
    ]
    var conditions = ["r.experiment_id IN (" + search.experimentIDs.map { bind(.int($0)) }.joined(separator: ", ") + ")"]
    switch search.view {
    case .active: conditions.append("r.lifecycle_stage = 0")
    case .deleted: conditions.append("r.lifecycle_stage = 1")
    case .all: break
    }
    // An equality (or IN) on a param or tag is usually the most selective filter: start from
    // its (key, value) index and look each candidate run up by primary key, instead of walking
    // every run of the experiments (measured: 4 ms instead of 16 ms over 10k runs).
    let driver = search.filter.comparisons.firstIndex { c in
      switch (c.entity, c.op) {
      case (.param, .equal), (.tag, .equal): true
      default: false
      }
    }
    var from = "runs r"
    for (index, comparison) in search.filter.comparisons.enumerated() {
      if index == driver, let (table, k) = Self.keyedTable(comparison.entity) {
        from = "\(table) d CROSS JOIN runs r"
        // Appended in filter order: SQLite's `?` binds follow the text's order.
        conditions.append(
          "d.key = \(bind(.text(k))) AND \(try textCondition("d.value", comparison.op, comparison.value)) AND r.run_key = d.run_key")
      } else {
        conditions.append(try condition(comparison, correlated: driver != nil))
      }
    }
    if let after = search.after { conditions.append(try keyset(after)) }
    let columns = components.enumerated().map { "\($0.element.sql) AS k\($0.offset)" }.joined(separator: ", ")
    let order = components.map { "\($0.sql) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
    return
      "SELECT \(selecting), \(columns) FROM \(from) \(joins.joined(separator: " ")) WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT \(bind(.int(Int64(search.limit))))"
  }

  /// Metric/param/tag keys sort missing values last in either direction: a "missing" flag
  /// ascending, then the value in the requested direction.
  private mutating func orderComponents(_ key: RunSearch.OrderKey, alias: String) -> [String] {
    func keyed(_ table: String, _ k: String, numeric: Bool) -> [String] {
      let join = "LEFT JOIN \(table) \(alias) ON \(alias).run_key = r.run_key AND \(alias).key = \(bind(.text(k)))"
      // As MLflow: real values first, then NaN (metrics), then runs without the key.
      let rank =
        numeric
        ? "(CASE WHEN \(alias).run_key IS NULL THEN 2 WHEN \(alias).is_nan = 1 THEN 1 ELSE 0 END)"
        : "(CASE WHEN \(alias).run_key IS NULL THEN 1 ELSE 0 END)"
      components.append(Component(sql: rank, descending: false, numeric: true))
      components.append(
        Component(
          sql: numeric ? "COALESCE(\(alias).value, 0)" : "COALESCE(\(alias).value, '')", descending: key.descending, numeric: numeric))
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
      } else if a == .status {
        // By name, as MLflow stores and sorts it (FAILED < FINISHED < KILLED < RUNNING …).
        let names = RunStatus.allCases.map { "WHEN \($0.rawValue) THEN '\($0.name)'" }.joined(separator: " ")
        components.append(Component(sql: "(CASE r.status \(names) END)", descending: key.descending, numeric: false))
      } else {
        components.append(Component(sql: Self.column(a), descending: key.descending, numeric: a.isNumeric))
      }
      return []
    case .dataset: return []
    }
  }

  /// The one-row-per-(run, key) table behind a param or tag filter.
  static func keyedTable(_ entity: RunFilter.Entity) -> (String, String)? {
    switch entity {
    case .param(let k): ("params", k)
    case .tag(let k): ("run_tags", k)
    default: nil
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
    case .artifactURI: "r.artifact_uri"
    }
  }

  /// A filter as a membership test: `IN (subquery)` (one index range scan, good when it drives)
  /// or, once another filter drives, a correlated EXISTS (one primary-key probe per candidate).
  /// The probe names the driving row's run key, not the run's: SQLite then tests it before
  /// looking the run up, so candidates it rejects cost no runs lookup.
  private mutating func condition(_ c: RunFilter.Comparison, correlated: Bool) throws -> String {
    func keyed(_ table: String, _ k: String, _ test: (inout RunSearchSQL, String) throws -> String) throws -> String {
      if correlated {
        return "EXISTS (SELECT 1 FROM \(table) x WHERE x.run_key = d.run_key AND x.key = \(bind(.text(k))) AND \(try test(&self, "x.")))"
      }
      return "r.run_key IN (SELECT run_key FROM \(table) WHERE key = \(bind(.text(k))) AND \(try test(&self, "")))"
    }
    switch c.entity {
    case .metric(let k):
      guard case .number(let v) = c.value else { return "1 = 0" }
      // As MLflow's store answers (tests/python/test_mlflow_search_semantics.py): a NaN metric
      // differs from every number (it matches `!=`) and equals or orders against none. The
      // value test keeps its index range; NaN rows join only for `!=`.
      let op = c.op == .notEqual ? "<>" : c.op.rawValue
      return try keyed("latest_metrics", k) { sql, p in
        let real = "\(p)is_nan = 0 AND \(p)value \(op) \(sql.bind(.double(v)))"
        return c.op == .notEqual ? "(\(real) OR \(p)is_nan = 1)" : real
      }
    case .param(let k), .tag(let k):
      let table = c.entity == .param(k) ? "params" : "run_tags"
      if c.op == .isNull || c.op == .isNotNull { return presence(table, k, present: c.op == .isNotNull, correlated: correlated) }
      return try keyed(table, k) { sql, p in try sql.textCondition(p + "value", c.op, c.value) }
    case .dataset(let f):
      let column = f == .name ? "name" : (f == .digest ? "digest" : "context")
      return "r.run_key IN (SELECT run_key FROM run_inputs WHERE \(try textCondition(column, c.op, c.value)))"
    case .attribute(let a):
      if a.isNumeric {
        guard case .number(let v) = c.value else { return "1 = 0" }
        return "\(Self.column(a)) \(c.op.rawValue) \(bind(.int(v.clampedInt64)))"
      }
      if a == .status { return try statusCondition(c) }
      return try textCondition(Self.column(a), c.op, c.value)
    }
  }

  /// `params.k IS [NOT] NULL`: whether the run has the key at all.
  private mutating func presence(_ table: String, _ k: String, present: Bool, correlated: Bool) -> String {
    let run = correlated ? "d.run_key" : "r.run_key"
    return "\(present ? "" : "NOT ")EXISTS (SELECT 1 FROM \(table) x WHERE x.run_key = \(run) AND x.key = \(bind(.text(k))))"
  }

  private mutating func statusCondition(_ c: RunFilter.Comparison) throws -> String {
    func code(_ name: String) throws -> Int64 {
      guard let status = RunStatus.allCases.first(where: { $0.name == name.uppercased() }) else {
        throw TrackerError.invalidArgument(
          field: "filter", reason: "'\(name)' is not a run status (\(RunStatus.allCases.map(\.name).joined(separator: ", ")))")
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
}
