import MLOpsCore

/// SearchRuns: the driving query, then every found run's rows in a few set-wise reads.
extension RunRepository {
  /// Runs matching the search in its order, each with its sort values (for the page token).
  /// The driving query selects only each found run's key and sort values: carrying every
  /// column of the run through its sorter cost more than reading the found rows again by key
  /// (timed with Python's sqlite3 module over 10k runs; `scripts/ab-search-runs.sh` gave the
  /// search 0.922 of its time). The rest of every run loads on the same connection.
  public func search(_ search: RunSearch) async throws -> RunSearch.Hits {
    var builder = RunSearchSQL(dialect: sql.dialect)
    let statement = try builder.statement(search, selecting: "r.run_key")
    let binds = builder.binds
    let components = builder.components
    return try await sql.lookup { c in
      let found = try await c.scan(statement, binds, into: (keys: [Int64](), sortValues: [[RunSearch.SortValue]]())) { found, row in
        found.keys.append(row.int(0))
        found.sortValues.append(
          components.indices.map { i -> RunSearch.SortValue in
            if row.isNull(1 + i) { return .null }
            return components[i].numeric ? .number(row.double(1 + i) ?? 0) : .text(row.text(1 + i))
          })
      }
      guard !found.keys.isEmpty else { return RunSearch.Hits() }
      let list = Self.jsonList(found.keys)
      var parts = RunParts(count: found.keys.count)
      parts = try await each(c, Self.runColumns, "runs", list: list, into: parts) { parts, i, row in parts.runs[i] = Self.run(row) }
      parts = try await loadLogged(c, list: list, into: parts)
      return RunSearch.Hits(runs: parts.assembled(), sortValues: found.sortValues)
    }
  }

  /// Many runs in five queries, instead of five queries per run.
  func runs(ids: [String], _ c: any SQLConnection) async throws -> [String: Run] {
    guard !ids.isEmpty else { return [:] }
    let count = Self.runColumnCount
    // A missing id keeps key 0, which no run has (keys start at 1), so it loads nothing.
    var found = (parts: RunParts(count: ids.count), keys: Array(repeating: Int64(0), count: ids.count))
    found = try await each(
      c, Self.runColumns + ", t.run_key", "runs", on: "run_id", text: true, list: RunStorageCoding.json(ids), into: found
    ) {
      found, i, row in
      found.parts.runs[i] = Self.run(row)
      found.keys[i] = row.int(count)
    }
    let parts = try await loadLogged(c, list: Self.jsonList(found.keys), into: found.parts)
    return Dictionary(parts.assembled().map { ($0.info.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Run keys as the JSON array ``each(_:_:_:on:text:list:into:_:)`` binds.
  static func jsonList(_ keys: [Int64]) -> String {
    "[" + keys.map(String.init).joined(separator: ",") + "]"
  }

  /// Params, tags, latest metrics and inputs of the runs at each position of `list` (run keys).
  func loadLogged(_ c: any SQLConnection, list: String, into parts: RunParts) async throws -> RunParts {
    var parts = try await each(c, "t.key, t.value", "params", list: list, into: parts) { $0.params[$1][$2.text(0)] = $2.text(1) }
    parts = try await each(c, "t.key, t.value", "run_tags", list: list, into: parts) { $0.tags[$1][$2.text(0)] = $2.text(1) }
    parts = try await each(c, "t.key, t.value, t.is_nan, t.timestamp, t.step", "latest_metrics", list: list, into: parts) { parts, i, r in
      let key = r.text(0)
      parts.metrics[i][key] = Metric(
        key: key, value: RunStorageCoding.loaded(r.double(1), isNaN: Int16(r.int(2))), timestamp: r.int(3), step: r.int(4))
    }
    return try await each(c, Self.inputColumns, "run_inputs", list: list, into: parts) { $0.inputs[$1].append(Self.input($2)) }
  }

  /// Folds `columns` of `table`'s rows whose `column` is in a JSON array (run keys, or run ids
  /// with `text`) into `state`, each row with its position in the array. The array is one
  /// bound value the query joins (``SQLDialect/jsonList(_:text:)``), so the statement's text is
  /// fixed and stays compiled, and the positions let the parts gather into per-position arrays
  /// instead of hashing an id for every row. `t.` is needed only where the list's own `key`
  /// and `value` columns would clash.
  func each<State: Sendable>(
    _ c: any SQLConnection, _ columns: String, _ table: String, on column: String = "run_key", text: Bool = false, list: String,
    into state: State, _ step: @escaping @Sendable (inout State, Int, SQLRow) -> Void
  ) async throws -> State {
    let source = sql.dialect.jsonList("j", text: text)
    return try await c.scan("SELECT \(columns), j.key FROM \(source) JOIN \(table) t ON t.\(column) = j.value", [.text(list)], into: state)
    {
      state, row in step(&state, Int(row.int(row.count - 1)), row)
    }
  }
}
