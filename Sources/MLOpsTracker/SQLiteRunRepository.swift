import GRDB
import MLOpsCore

/// Runs in the embedded SQLite database. Every write is one transaction; WAL mode makes an
/// acknowledged write survive a kill -9 of the process.
public struct SQLiteRunRepository: RunRepository {
  let database: SQLiteStore

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func create(_ new: NewRun) async throws -> Run {
    let uri = try database.writeInline { db in
      let experiment = try Row.fetchOne(
        db.cachedStatement(sql: "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?"), arguments: [new.experimentID])
      let location = try NewRun.artifactLocation(experiment: new.experimentID, found: experiment.map { (stage: $0[0], location: $0[1]) })
      let uri = RunStorageCoding.artifactURI(experimentLocation: location, runID: new.id)
      try db.cachedStatement(sql: """
          INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, user_id,
            source_repository, source_commit, source_entry_point, source_type,
            env_runtime, env_packages_digest, env_packages, env_platform)
          VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """).execute(
        arguments: [
          new.id, new.experimentID, new.name, new.startTime, uri, new.userID, new.source.repository, new.source.commit,
          new.source.entryPoint, new.source.sourceType, new.environment.runtime, new.environment.packagesDigest,
          RunStorageCoding.json(new.environment.packages), new.environment.platform,
        ])
      let runKey = db.lastInsertedRowID
      for (key, value) in new.tags {
        try db.cachedStatement(sql: "INSERT INTO run_tags (run_key, key, value) VALUES (?, ?, ?)").execute(arguments: [runKey, key, value])
      }
      return uri
    }
    return Run(new, artifactURI: uri)
  }

  public func run(id: String) async throws -> Run? {
    try await runs(ids: [id])[id]
  }

  /// The runs columns in the order `runColumns` selects them; read by position through
  /// ``SQLiteRow`` (GRDB's `Row` converted each value generically, and its by-name lookup
  /// lowercased every name: both led search profiles).
  static let runColumns = """
    run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id,
    source_repository, source_commit, source_entry_point, source_type, env_runtime, env_packages_digest, env_packages, env_platform
    """

  static let runColumnCount = runColumns.split(separator: ",").count

  static func info(_ row: SQLiteRow) -> RunInfo {
    RunInfo(
      id: row.text(0), experimentID: row.int(1), name: row.text(2), status: RunStatus(rawValue: Int(row.int(3))) ?? .running,
      startTime: row.int(4), endTime: row.optionalInt(5), lifecycle: Experiment.Lifecycle(rawValue: Int(row.int(6))) ?? .active,
      artifactURI: row.text(7), userID: row.text(8))
  }

  static let inputColumns = "name, digest, source_type, source, schema_json, profile, context, tags_json"

  static func input(_ r: SQLiteRow) -> DatasetInput {
    DatasetInput(
      name: r.text(0), digest: r.text(1), sourceType: r.text(2), source: r.text(3), schema: r.text(4), profile: r.text(5), context: r.text(6),
      tags: RunStorageCoding.dictionary(r.text(7)))
  }

  static func run(_ row: SQLiteRow) -> Run {
    Run(
      info: info(row), metrics: [:], params: [:], tags: [:], inputs: [],
      source: RunSource(repository: row.text(9), commit: row.text(10), entryPoint: row.text(11), sourceType: row.text(12)),
      environment: RunEnvironment(
        runtime: row.text(13), packagesDigest: row.text(14), packages: RunStorageCoding.strings(row.text(15)), platform: row.text(16)))
  }

  /// The run's key inside a write, refusing unknown and (for writes) deleted runs.
  @discardableResult
  static func requireActive(_ db: Database, _ id: String) throws -> Int64 {
    guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT run_key, lifecycle_stage FROM runs WHERE run_id = ?"), arguments: [id]) else {
      throw TrackerError.runNotFound(id)
    }
    if row[1] as Int != Experiment.Lifecycle.active.rawValue { throw TrackerError.runDeleted(id) }
    return row[0]
  }

  /// A subquery naming the key of the run whose id is bound in its place, for reads.
  static let keyOfRun = "(SELECT run_key FROM runs WHERE run_id = ?)"

  public func update(id: String, status: RunStatus?, endTime: Int64?, name: String?) async throws -> RunInfo {
    try database.writeInline { db in
      try Self.requireActive(db, id)
      if let status { try db.cachedStatement(sql: "UPDATE runs SET status = ? WHERE run_id = ?").execute(arguments: [status.rawValue, id]) }
      if let endTime { try db.cachedStatement(sql: "UPDATE runs SET end_time = ? WHERE run_id = ?").execute(arguments: [endTime, id]) }
      if let name { try db.cachedStatement(sql: "UPDATE runs SET name = ? WHERE run_id = ?").execute(arguments: [name, id]) }
      var info: RunInfo?
      try db.statement("SELECT \(Self.runColumns) FROM runs WHERE run_id = ?", binding: [.text(id)]).forEachRow { info = Self.info($0) }
      return info!
    }
  }

  public func setLifecycle(id: String, _ lifecycle: Experiment.Lifecycle) async throws {
    try database.writeInline { db in
      guard let stage = try Int.fetchOne(db.cachedStatement(sql: "SELECT lifecycle_stage FROM runs WHERE run_id = ?"), arguments: [id]) else {
        throw TrackerError.runNotFound(id)
      }
      guard stage != lifecycle.rawValue else {
        throw TrackerError.failedPrecondition("run \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      try db.cachedStatement(sql: "UPDATE runs SET lifecycle_stage = ? WHERE run_id = ?").execute(arguments: [lifecycle.rawValue, id])
    }
  }

  public func log(runID: String, _ batch: LogBatch) async throws {
    try database.writeInline { db in
      let runKey = try Self.requireActive(db, runID)
      try Self.insertParams(db, runKey: runKey, batch.params)
      if !batch.tags.isEmpty {
        try db.statement(
          "INSERT INTO run_tags (run_key, key, value) VALUES \(Placeholders.rows(batch.tags.count, width: 3)) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value",
          binding: batch.tags.flatMap { [.int(runKey), .text($0.key), .text($0.value)] }
        ).execute()
      }
      try Self.insertMetrics(db, runKey: runKey, batch.metrics)
      for (key, candidate) in batch.latestByKey {
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT value, is_nan, timestamp, step FROM latest_metrics WHERE run_key = ? AND key = ?"), arguments: [runKey, key])
          .map { Metric(key: key, value: RunStorageCoding.loaded($0[0], isNaN: $0[1]), timestamp: $0[2], step: $0[3]) }
        guard current.map({ candidate.supersedes($0) }) ?? true else { continue }
        let (value, nan) = RunStorageCoding.stored(candidate.value)
        try db.cachedStatement(sql: """
            INSERT INTO latest_metrics (run_key, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
              timestamp = excluded.timestamp, step = excluded.step
            """).execute(
          arguments: [runKey, key, value, nan, candidate.timestamp, candidate.step])
      }
    }
  }

  /// Params are write-once: one multi-row INSERT keeps the stored values, then one read of
  /// them finds the first param logged with a different value (which rolls the batch back).
  static func insertParams(_ db: Database, runKey: Int64, _ params: [(key: String, value: String)]) throws {
    guard !params.isEmpty else { return }
    try db.statement(
      "INSERT INTO params (run_key, key, value) VALUES \(Placeholders.rows(params.count, width: 3)) ON CONFLICT DO NOTHING",
      binding: params.flatMap { [.int(runKey), .text($0.key), .text($0.value)] }
    ).execute()
    var stored: [String: String] = [:]
    try db.statement("SELECT key, value FROM params WHERE run_key = ? AND key IN (\(Placeholders.list(params.count)))", binding: [.int(runKey)] + params.map { .text($0.key) })
      .forEachRow { stored[$0.text(0)] = $0.text(1) }
    if let conflict = params.first(where: { stored[$0.key] != $0.value }) {
      throw TrackerError.paramConflict(key: conflict.key, stored: stored[conflict.key] ?? "", new: conflict.value)
    }
  }

  /// Multi-row INSERTs of up to 200 points: one statement step per 200 points instead of one
  /// per point.
  static func insertMetrics(_ db: Database, runKey: Int64, _ metrics: [Metric]) throws {
    for start in stride(from: 0, to: metrics.count, by: 200) {
      let chunk = metrics[start..<min(start + 200, metrics.count)]
      var values: [SQLValue] = []
      values.reserveCapacity(chunk.count * 6)
      for metric in chunk {
        let (value, nan) = RunStorageCoding.stored(metric.value)
        values += [.int(runKey), .text(metric.key), value.map(SQLValue.double) ?? .null, .int(Int64(nan)), .int(metric.timestamp), .int(metric.step)]
      }
      try db.statement("INSERT INTO metrics (run_key, key, value, is_nan, timestamp, step) VALUES \(Placeholders.rows(chunk.count, width: 6))", binding: values)
        .execute()
    }
  }

  public func deleteTag(runID: String, key: String) async throws {
    try database.writeInline { db in
      let runKey = try Self.requireActive(db, runID)
      try db.cachedStatement(sql: "DELETE FROM run_tags WHERE run_key = ? AND key = ?").execute(arguments: [runKey, key])
      if db.changesCount == 0 { throw TrackerError.tagNotFound(runID: runID, key: key) }
    }
  }

  public func logInputs(runID: String, _ inputs: [DatasetInput]) async throws {
    try database.writeInline { db in
      let runKey = try Self.requireActive(db, runID)
      for input in inputs {
        try db.cachedStatement(sql: """
            INSERT INTO run_inputs (run_key, name, digest, source_type, source, schema_json, profile, context, tags_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_key, name, digest) DO UPDATE SET source_type = excluded.source_type, source = excluded.source,
              schema_json = excluded.schema_json, profile = excluded.profile, context = excluded.context, tags_json = excluded.tags_json
            """).execute(
          arguments: [runKey, input.name, input.digest, input.sourceType, input.source, input.schema, input.profile, input.context,
                      RunStorageCoding.json(input.tags)])
      }
    }
  }

  public func metricHistory(runID: String, key: String, after cursor: MetricCursor?, limit: Int) async throws -> [MetricPoint] {
    try await database.pool.read { db in
      let c = cursor ?? MetricCursor(step: .min, timestamp: .min, sequence: .min)
      var points: [MetricPoint] = []
      try db.statement(
        """
        SELECT value, is_nan, timestamp, step, sequence FROM metrics
        WHERE run_key = \(Self.keyOfRun) AND key = ? AND (step, timestamp, sequence) > (?, ?, ?)
        ORDER BY step, timestamp, sequence LIMIT ?
        """,
        binding: [.text(runID), .text(key), .int(c.step), .int(c.timestamp), .int(c.sequence), .int(Int64(limit))]
      ).forEachRow { r in
        points.append(MetricPoint(
          metric: Metric(key: key, value: RunStorageCoding.loaded(r.optionalDouble(0), isNaN: Int16(r.int(1))), timestamp: r.int(2), step: r.int(3)),
          sequence: r.int(4)))
      }
      return points
    }
  }
}

extension SQLiteRunRepository {
  /// The driving query selects only each found run's key and sort values: carrying every
  /// column of the run through its sorter cost more than reading the found rows again by key
  /// (timed with Python's sqlite3 module over 10k runs; `scripts/ab-search-runs.sh` gave the
  /// search 0.922 of its time). The rest of every run loads in the same read, one snapshot, so
  /// every key found has its run.
  public func search(_ search: RunSearch) async throws -> RunSearch.Hits {
    var builder = RunSearchSQL(dialect: .sqlite)
    let sql = try builder.statement(search, selecting: "r.run_key")
    let arguments = builder.binds.sqliteArguments
    let components = builder.components
    return try await database.pool.read { db in
      var keys: [Int64] = []
      var sortValues: [[RunSearch.SortValue]] = []
      let statement = try db.makeStatement(sql: sql)
      try statement.setArguments(arguments)
      try statement.forEachRow { row in
        keys.append(row.int(0))
        sortValues.append(components.indices.map { i -> RunSearch.SortValue in
          if row.isNull(1 + i) { return .null }
          return components[i].numeric ? .number(row.double(1 + i)) : .text(row.text(1 + i))
        })
      }
      guard !keys.isEmpty else { return RunSearch.Hits() }
      var parts = RunParts(count: keys.count)
      let list = Self.jsonList(keys)
      try Self.each(db, Self.runColumns, "runs", list: list) { parts.runs[$0] = Self.run($1) }
      try Self.loadLogged(db, list: list, into: &parts)
      return RunSearch.Hits(runs: parts.assembled(), sortValues: sortValues)
    }
  }

  /// Many runs in five queries, instead of five queries per run.
  func runs(ids: [String]) async throws -> [String: Run] {
    guard !ids.isEmpty else { return [:] }
    return try await database.pool.read { db in
      var parts = RunParts(count: ids.count)
      // A missing id keeps key 0, which no run has (rowids start at 1), so it loads nothing.
      var keys = Array(repeating: Int64(0), count: ids.count)
      let count = Self.runColumnCount
      try Self.each(db, Self.runColumns + ", run_key", "runs", on: "run_id", list: RunStorageCoding.json(ids)) { i, row in
        parts.runs[i] = Self.run(row)
        keys[i] = row.int(count)
      }
      try Self.loadLogged(db, list: Self.jsonList(keys), into: &parts)
      return Dictionary(parts.assembled().map { ($0.info.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  /// Run keys as the JSON array ``each(_:_:_:on:list:_:)`` binds.
  static func jsonList(_ keys: [Int64]) -> String {
    "[" + keys.map(String.init).joined(separator: ",") + "]"
  }

  /// Params, tags, latest metrics and inputs of the runs at each position of `list` (run keys).
  static func loadLogged(_ db: Database, list: String, into parts: inout RunParts) throws {
    try each(db, "t.key, t.value", "params", list: list) { parts.params[$0][$1.text(0)] = $1.text(1) }
    try each(db, "t.key, t.value", "run_tags", list: list) { parts.tags[$0][$1.text(0)] = $1.text(1) }
    try each(db, "t.key, t.value, t.is_nan, t.timestamp, t.step", "latest_metrics", list: list) { i, r in
      let key = r.text(0)
      parts.metrics[i][key] = Metric(key: key, value: RunStorageCoding.loaded(r.optionalDouble(1), isNaN: Int16(r.int(2))), timestamp: r.int(3), step: r.int(4))
    }
    try each(db, inputColumns, "run_inputs", list: list) { parts.inputs[$0].append(input($1)) }
  }

  /// Streams `columns` of `table`'s rows whose `column` is in a JSON array (run keys, or ids
  /// for the runs table), each row with its position in the array. The array is one bound
  /// value that the query joins (`json_each`), so the statement's text is fixed and stays
  /// compiled, and the positions let the parts gather into per-position arrays instead of
  /// hashing an id for every row. `t.` is needed only where json_each's own `key` and `value`
  /// columns would clash.
  static func each(
    _ db: Database, _ columns: String, _ table: String, on column: String = "run_key", list: String, _ body: (Int, SQLiteRow) throws -> Void
  ) throws {
    let statement = try db.statement("SELECT \(columns), j.key FROM json_each(?) j JOIN \(table) t ON t.\(column) = j.value", binding: [.text(list)])
    let position = statement.columnCount - 1
    try statement.forEachRow { try body(Int($0.int(position)), $0) }
  }
}

extension SQLiteRunRepository {
  public func metricsSince(runID: String, sequence: Int64, keys: [String], limit: Int) async throws -> [MetricPoint] {
    try await database.pool.read { db in
      let keyFilter = keys.isEmpty ? "" : " AND key IN (\(Placeholders.list(keys.count)))"
      let arguments = StatementArguments([runID.databaseValue, sequence.databaseValue] + keys.map(\.databaseValue) + [limit.databaseValue])
      return try Row.fetchAll(
        db, sql: "SELECT key, value, is_nan, timestamp, step, sequence FROM metrics WHERE run_key = \(Self.keyOfRun) AND sequence > ?\(keyFilter) ORDER BY sequence LIMIT ?",
        arguments: arguments
      ).map { MetricPoint(metric: Metric(key: $0[0], value: RunStorageCoding.loaded($0[1], isNaN: $0[2]), timestamp: $0[3], step: $0[4]), sequence: $0[5]) }
    }
  }
}
