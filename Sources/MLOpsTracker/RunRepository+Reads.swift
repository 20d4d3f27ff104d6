import MLOpsCore

/// Reading runs: one run, many runs for a search page, metric history and the watch feed.
extension RunRepository {
  /// The runs columns in the order `run(_:)` reads them by position.
  static let runColumns = """
    run_id, experiment_id, name, status, start_time, end_time, lifecycle_stage, artifact_uri, user_id,
    source_repository, source_commit, source_entry_point, source_type, env_runtime, env_packages_digest, env_packages, env_platform
    """

  static let runColumnCount = runColumns.split(separator: ",").count

  /// A `runColumns` row as a run without logged data.
  static func run(_ row: SQLRow) -> Run {
    let info = RunInfo(
      id: row.text(0), experimentID: row.int(1), name: row.text(2), status: RunStatus(rawValue: Int(row.int(3))) ?? .running,
      startTime: row.int(4), endTime: row.isNull(5) ? nil : row.int(5),
      lifecycle: Experiment.Lifecycle(rawValue: Int(row.int(6))) ?? .active, artifactURI: row.text(7), userID: row.text(8))
    return Run(
      info: info, metrics: [:], params: [:], tags: [:], inputs: [],
      source: RunSource(repository: row.text(9), commit: row.text(10), entryPoint: row.text(11), sourceType: row.text(12)),
      environment: RunEnvironment(
        runtime: row.text(13), packagesDigest: row.text(14), packages: RunStorageCoding.strings(row.text(15)), platform: row.text(16)))
  }

  static let inputColumns = "t.name, t.digest, t.source_type, t.source, t.schema_json, t.profile, t.context, t.tags_json"

  static func input(_ r: SQLRow) -> DatasetInput {
    DatasetInput(
      name: r.text(0), digest: r.text(1), sourceType: r.text(2), source: r.text(3), schema: r.text(4), profile: r.text(5),
      context: r.text(6),
      tags: RunStorageCoding.dictionary(r.text(7)))
  }

  /// A subquery naming the key of the run whose id is bound in its place, for reads.
  static let keyOfRun = "(SELECT run_key FROM runs WHERE run_id = ?)"

  /// The run with everything GetRun shows; nil when there is none.
  public func run(id: String) async throws -> Run? {
    try await sql.lookup { c in try await runs(ids: [id], c) }[id]
  }

  /// Points of one metric in (step, timestamp, sequence) order, after `cursor`.
  public func metricHistory(runID: String, key: String, after cursor: MetricCursor?, limit: Int) async throws -> [MetricPoint] {
    let c = cursor ?? MetricCursor(step: .min, timestamp: .min, sequence: .min)
    return try await sql.read { connection in
      try await connection.scan(
        """
        SELECT value, is_nan, timestamp, step, sequence FROM metrics
        WHERE run_key = \(Self.keyOfRun) AND key = ? AND (step, timestamp, sequence) > (?, ?, ?)
        ORDER BY step, timestamp, sequence LIMIT ?
        """,
        [.text(runID), .text(key), .int(c.step), .int(c.timestamp), .int(c.sequence), .int(Int64(limit))], into: [MetricPoint]()
      ) { points, r in
        points.append(
          MetricPoint(
            metric: Metric(
              key: key, value: RunStorageCoding.loaded(r.double(0), isNaN: Int16(r.int(1))), timestamp: r.int(2), step: r.int(3)),
            sequence: r.int(4)))
      }
    }
  }

  /// Points logged to a run after `sequence`, in arrival order (optionally only some keys):
  /// what WatchRunMetrics streams.
  public func metricsSince(runID: String, sequence: Int64, keys: [String], limit: Int) async throws -> [MetricPoint] {
    let keyFilter = keys.isEmpty ? "" : " AND key IN (\(Placeholders.list(keys.count)))"
    let binds: [SQLValue] = [.text(runID), .int(sequence)] + keys.map(SQLValue.text) + [.int(Int64(limit))]
    return try await sql.read { c in
      try await c.query(
        "SELECT key, value, is_nan, timestamp, step, sequence FROM metrics WHERE run_key = \(Self.keyOfRun) AND sequence > ?\(keyFilter) ORDER BY sequence LIMIT ?",
        binds
      ).map { r in
        MetricPoint(
          metric: Metric(
            key: r[0].text, value: RunStorageCoding.loaded(r[1].double, isNaN: Int16(r[2].int)), timestamp: r[3].int, step: r[4].int),
          sequence: r[5].int)
      }
    }
  }
}
