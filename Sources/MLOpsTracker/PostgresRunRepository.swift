import Logging
import MLOpsCore
import PostgresNIO

/// Runs in PostgreSQL. Every write is one transaction that first locks the run row, so
/// concurrent batches into one run serialise and none is lost.
public struct PostgresRunRepository: RunRepository {
  let database: PostgresStore
  let logger: Logger

  public init(database: PostgresStore, logger: Logger) {
    self.database = database
    self.logger = logger
  }

  public func create(_ new: NewRun) async throws -> Run {
    let packages = RunStorageCoding.json(new.environment.packages)
    let uri = try await database.transaction(logger: logger) { c in
      // FOR SHARE: a concurrent delete of the experiment waits until this run is committed.
      var experiment: (stage: Int, location: String)?
      for try await (stage, location) in try await c.query(
        "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = \(new.experimentID) FOR SHARE", logger: logger
      ).decode((Int16, String).self) { experiment = (Int(stage), location) }
      let location = try NewRun.artifactLocation(experiment: new.experimentID, found: experiment)
      let uri = RunStorageCoding.artifactURI(experimentLocation: location, runID: new.id)
      let inserted = try await c.query(
        """
        INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, user_id,
          source_repository, source_commit, source_entry_point, source_type,
          env_runtime, env_packages_digest, env_packages, env_platform)
        VALUES (\(new.id), \(new.experimentID), \(new.name), 1, \(new.startTime), \(uri), \(new.userID),
          \(new.source.repository), \(new.source.commit), \(new.source.entryPoint), \(new.source.sourceType),
          \(new.environment.runtime), \(new.environment.packagesDigest), \(packages), \(new.environment.platform))
        RETURNING run_key
        """, logger: logger)
      var runKey: Int64 = 0
      for try await key in inserted.decode(Int64.self) { runKey = key }
      for (key, value) in new.tags {
        try await c.query("INSERT INTO run_tags (run_key, key, value) VALUES (\(runKey), \(key), \(value))", logger: logger)
      }
      return uri
    }
    return Run(new, artifactURI: uri)
  }

  public func run(id: String) async throws -> Run? {
    try await runs(ids: [id])[id]
  }

  static let runColumns = """
    run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id,
    source_repository, source_commit, source_entry_point, source_type, env_runtime, env_packages_digest, env_packages, env_platform
    """
  typealias RunRow = (String, Int64, String, Int16, Int64, Int64?, Int16, String, String, String, String, String, String, String, String, String, String)
  /// A `runColumns` row followed by the run's key.
  typealias KeyedRunRow = (String, Int64, String, Int16, Int64, Int64?, Int16, String, String, String, String, String, String, String, String, String, String, Int64)

  /// A `runColumns` row as a run without logged data.
  static func run(_ r: RunRow) -> Run {
    let info = RunInfo(
      id: r.0, experimentID: r.1, name: r.2, status: RunStatus(rawValue: Int(r.3)) ?? .running, startTime: r.4, endTime: r.5,
      lifecycle: Experiment.Lifecycle(rawValue: Int(r.6)) ?? .active, artifactURI: r.7, userID: r.8)
    return Run(
      info: info, metrics: [:], params: [:], tags: [:], inputs: [],
      source: RunSource(repository: r.9, commit: r.10, entryPoint: r.11, sourceType: r.12),
      environment: RunEnvironment(runtime: r.13, packagesDigest: r.14, packages: RunStorageCoding.strings(r.15), platform: r.16))
  }

  static func info(_ c: PostgresConnection, id: String, logger: Logger) async throws -> RunInfo? {
    var binds = PostgresBindings()
    binds.append(id)
    let rows = try await c.query(PostgresQuery(unsafeSQL: "SELECT \(runColumns) FROM runs WHERE run_id = $1", binds: binds), logger: logger)
    for try await r in rows.decode(RunRow.self) { return run(r).info }
    return nil
  }

  /// Locks the run row for the transaction, refuses unknown or deleted runs, and returns the
  /// run's key.
  @discardableResult
  static func lockActive(_ c: PostgresConnection, _ id: String, logger: Logger) async throws -> Int64 {
    var found: (Int64, Int16)?
    let rows = try await c.query("SELECT run_key, lifecycle_stage FROM runs WHERE run_id = \(id) FOR UPDATE", logger: logger)
    for try await row in rows.decode((Int64, Int16).self) { found = row }
    guard let (runKey, stage) = found else { throw TrackerError.runNotFound(id) }
    if stage != Int16(Experiment.Lifecycle.active.rawValue) { throw TrackerError.runDeleted(id) }
    return runKey
  }

  public func update(id: String, status: RunStatus?, endTime: Int64?, name: String?) async throws -> RunInfo {
    try await database.transaction(logger: logger) { c in
      try await Self.lockActive(c, id, logger: logger)
      if let status { try await c.query("UPDATE runs SET status = \(Int16(status.rawValue)) WHERE run_id = \(id)", logger: logger) }
      if let endTime { try await c.query("UPDATE runs SET end_time = \(endTime) WHERE run_id = \(id)", logger: logger) }
      if let name { try await c.query("UPDATE runs SET name = \(name) WHERE run_id = \(id)", logger: logger) }
      guard let info = try await Self.info(c, id: id, logger: logger) else { throw TrackerError.runNotFound(id) }
      return info
    }
  }

  public func setLifecycle(id: String, _ lifecycle: Experiment.Lifecycle) async throws {
    try await database.transaction(logger: logger) { c in
      var stage: Int16?
      for try await value in try await c.query("SELECT lifecycle_stage FROM runs WHERE run_id = \(id) FOR UPDATE", logger: logger).decode(Int16.self) {
        stage = value
      }
      guard let stage else { throw TrackerError.runNotFound(id) }
      guard Int(stage) != lifecycle.rawValue else {
        throw TrackerError.failedPrecondition("run \(id) is already \(lifecycle == .active ? "active" : "deleted")")
      }
      try await c.query("UPDATE runs SET lifecycle_stage = \(Int16(lifecycle.rawValue)) WHERE run_id = \(id)", logger: logger)
    }
  }

  public func log(runID: String, _ batch: LogBatch) async throws {
    try await database.transaction(logger: logger) { c in
      let runKey = try await Self.lockActive(c, runID, logger: logger)
      for (key, value) in batch.params {
        try await c.query("INSERT INTO params (run_key, key, value) VALUES (\(runKey), \(key), \(value)) ON CONFLICT DO NOTHING", logger: logger)
        var stored = ""
        for try await v in try await c.query("SELECT value FROM params WHERE run_key = \(runKey) AND key = \(key)", logger: logger).decode(String.self) {
          stored = v
        }
        if stored != value { throw TrackerError.paramConflict(key: key, stored: stored, new: value) }
      }
      for (key, value) in batch.tags {
        try await c.query(
          "INSERT INTO run_tags (run_key, key, value) VALUES (\(runKey), \(key), \(value)) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value",
          logger: logger)
      }
      try await Self.insertMetrics(c, runKey: runKey, batch.metrics, logger: logger)
      for (key, candidate) in batch.latestByKey {
        var current: Metric?
        let rows = try await c.query("SELECT value, is_nan, timestamp, step FROM latest_metrics WHERE run_key = \(runKey) AND key = \(key)", logger: logger)
        for try await (v, nan, ts, step) in rows.decode((Double?, Int16, Int64, Int64).self) {
          current = Metric(key: key, value: RunStorageCoding.loaded(v, isNaN: nan), timestamp: ts, step: step)
        }
        guard current.map({ candidate.supersedes($0) }) ?? true else { continue }
        let (value, nan) = RunStorageCoding.stored(candidate.value)
        try await c.query(
          """
          INSERT INTO latest_metrics (run_key, key, value, is_nan, timestamp, step)
          VALUES (\(runKey), \(key), \(value), \(nan), \(candidate.timestamp), \(candidate.step))
          ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
            timestamp = excluded.timestamp, step = excluded.step
          """, logger: logger)
      }
    }
  }

  /// One multi-row INSERT per batch: arrays unnested server-side, so 1000 points cost one round trip.
  static func insertMetrics(_ c: PostgresConnection, runKey: Int64, _ metrics: [Metric], logger: Logger) async throws {
    guard !metrics.isEmpty else { return }
    let keys = metrics.map(\.key), values = metrics.map { $0.value.isNaN ? 0 : $0.value }
    let nans = metrics.map { RunStorageCoding.stored($0.value).isNaN }, stamps = metrics.map(\.timestamp), steps = metrics.map(\.step)
    try await c.query(
      """
      INSERT INTO metrics (run_key, key, value, is_nan, timestamp, step)
      SELECT \(runKey), * FROM unnest(\(keys)::text[], \(values)::double precision[], \(nans)::smallint[], \(stamps)::bigint[], \(steps)::bigint[])
      """, logger: logger)
  }

  public func deleteTag(runID: String, key: String) async throws {
    try await database.transaction(logger: logger) { c in
      let runKey = try await Self.lockActive(c, runID, logger: logger)
      var deleted = 0
      for try await _ in try await c.query("DELETE FROM run_tags WHERE run_key = \(runKey) AND key = \(key) RETURNING key", logger: logger) {
        deleted += 1
      }
      if deleted == 0 { throw TrackerError.tagNotFound(runID: runID, key: key) }
    }
  }

  public func logInputs(runID: String, _ inputs: [DatasetInput]) async throws {
    try await database.transaction(logger: logger) { c in
      let runKey = try await Self.lockActive(c, runID, logger: logger)
      for i in inputs {
        let tags = RunStorageCoding.json(i.tags)
        try await c.query(
          """
          INSERT INTO run_inputs (run_key, name, digest, source_type, source, schema_json, profile, context, tags_json)
          VALUES (\(runKey), \(i.name), \(i.digest), \(i.sourceType), \(i.source), \(i.schema), \(i.profile), \(i.context), \(tags))
          ON CONFLICT (run_key, name, digest) DO UPDATE SET source_type = excluded.source_type, source = excluded.source,
            schema_json = excluded.schema_json, profile = excluded.profile, context = excluded.context, tags_json = excluded.tags_json
          """, logger: logger)
      }
    }
  }

  public func metricHistory(runID: String, key: String, after cursor: MetricCursor?, limit: Int) async throws -> [MetricPoint] {
    let c = cursor ?? MetricCursor(step: .min, timestamp: .min, sequence: .min)
    let rows = try await database.client.query(
      """
      SELECT value, is_nan, timestamp, step, sequence FROM metrics
      WHERE run_key = (SELECT run_key FROM runs WHERE run_id = \(runID)) AND key = \(key) AND (step, timestamp, sequence) > (\(c.step), \(c.timestamp), \(c.sequence))
      ORDER BY step, timestamp, sequence LIMIT \(Int64(limit))
      """, logger: logger)
    var points: [MetricPoint] = []
    for try await (v, nan, ts, step, seq) in rows.decode((Double?, Int16, Int64, Int64, Int64).self) {
      points.append(MetricPoint(metric: Metric(key: key, value: RunStorageCoding.loaded(v, isNaN: nan), timestamp: ts, step: step), sequence: seq))
    }
    return points
  }
}

extension PostgresRunRepository {
  public func search(_ search: RunSearch) async throws -> RunSearch.Hits {
    var builder = RunSearchSQL(dialect: .postgres)
    let sql = try builder.statement(search)
    let bindings = builder.binds.postgresBindings
    let components = builder.components
    let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
    var hits: [(String, [RunSearch.SortValue])] = []
    for try await row in rows {
      let cells = Array(row)
      let id = try cells[0].decode(String.self)
      var values: [RunSearch.SortValue] = []
      for (i, component) in components.enumerated() {
        let cell = cells[i + 1]
        if cell.bytes == nil { values.append(.null); continue }
        if component.numeric {
          values.append(.number(Self.number(cell)))
        } else {
          values.append(.text(try cell.decode(String.self)))
        }
      }
      hits.append((id, values))
    }
    var loaded = try await runs(ids: hits.map(\.0))
    var found = RunSearch.Hits()
    for (id, values) in hits {
      guard let run = loaded.removeValue(forKey: id) else { continue }
      found.runs.append(run)
      found.sortValues.append(values)
    }
    return found
  }

  /// Many runs in five queries (ids, then keys, bound as one array), instead of five queries
  /// per run.
  func runs(ids: [String]) async throws -> [String: Run] {
    guard !ids.isEmpty else { return [:] }
    return try await database.client.withConnection { c in
      var runs: [Int64: Run] = [:]
      var binds = PostgresBindings()
      binds.append(ids)
      let rows = try await c.query(PostgresQuery(unsafeSQL: "SELECT \(Self.runColumns), run_key FROM runs WHERE run_id = ANY($1)", binds: binds), logger: logger)
      for try await r in rows.decode(KeyedRunRow.self) {
        runs[r.17] = Self.run((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12, r.13, r.14, r.15, r.16))
      }
      let keys = Array(runs.keys)
      for try await (k, key, v) in try await c.query("SELECT run_key, key, value FROM params WHERE run_key = ANY(\(keys))", logger: logger).decode((Int64, String, String).self) {
        runs[k]?.params[key] = v
      }
      for try await (k, key, v) in try await c.query("SELECT run_key, key, value FROM run_tags WHERE run_key = ANY(\(keys))", logger: logger).decode((Int64, String, String).self) {
        runs[k]?.tags[key] = v
      }
      let metrics = try await c.query("SELECT run_key, key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_key = ANY(\(keys))", logger: logger)
      for try await (k, key, v, nan, ts, step) in metrics.decode((Int64, String, Double?, Int16, Int64, Int64).self) {
        runs[k]?.metrics[key] = Metric(key: key, value: RunStorageCoding.loaded(v, isNaN: nan), timestamp: ts, step: step)
      }
      let inputs = try await c.query(
        "SELECT run_key, name, digest, source_type, source, schema_json, profile, context, tags_json FROM run_inputs WHERE run_key = ANY(\(keys)) ORDER BY name, digest",
        logger: logger)
      for try await (k, n, d, st, s, sc, p, ctx, tags) in inputs.decode((Int64, String, String, String, String, String, String, String, String).self) {
        runs[k]?.inputs.append(DatasetInput(name: n, digest: d, sourceType: st, source: s, schema: sc, profile: p, context: ctx, tags: RunStorageCoding.dictionary(tags)))
      }
      return Dictionary(runs.values.map { ($0.info.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
  }

  /// A numeric sort column, whichever integer or float type PostgreSQL chose for it.
  static func number(_ cell: PostgresCell) -> Double {
    if let v = try? cell.decode(Double.self) { return v }
    if let v = try? cell.decode(Int64.self) { return Double(v) }
    if let v = try? cell.decode(Int32.self) { return Double(v) }
    if let v = try? cell.decode(Int16.self) { return Double(v) }
    return 0
  }
}

extension PostgresRunRepository {
  public func metricsSince(runID: String, sequence: Int64, keys: [String], limit: Int) async throws -> [MetricPoint] {
    let rows = try await database.client.query(
      """
      SELECT key, value, is_nan, timestamp, step, sequence FROM metrics
      WHERE run_key = (SELECT run_key FROM runs WHERE run_id = \(runID)) AND sequence > \(sequence) AND (cardinality(\(keys)::text[]) = 0 OR key = ANY(\(keys)::text[]))
      ORDER BY sequence LIMIT \(Int64(limit))
      """, logger: logger)
    var points: [MetricPoint] = []
    for try await (k, v, nan, ts, step, seq) in rows.decode((String, Double?, Int16, Int64, Int64, Int64).self) {
      points.append(MetricPoint(metric: Metric(key: k, value: RunStorageCoding.loaded(v, isNaN: nan), timestamp: ts, step: step), sequence: seq))
    }
    return points
  }
}
