import MLOpsCore

/// LogBatch's one transaction: params, tags, metric history and each key's latest value.
extension RunRepository {
  /// Writes metrics (history and latest), params and tags in one transaction.
  /// - Throws: `runNotFound`, `runDeleted`, `paramConflict` — and then writes nothing.
  public func log(runID: String, _ batch: LogBatch) async throws {
    try await sql.transaction { c in
      let runKey = try await lockActive(c, runID)
      try await Self.insertParams(c, runKey: runKey, batch.params)
      if !batch.tags.isEmpty {
        try await c.execute(
          """
          INSERT INTO run_tags (run_key, key, value) VALUES \(Placeholders.rows(batch.tags.count, width: 3))
          ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value
          """,
          batch.tags.flatMap { [.int(runKey), .text($0.key), .text($0.value)] })
        if let name = batch.tags.last(where: { $0.key == TrackerEngine.runNameTag })?.value {
          try await Self.rename(c, runKey: runKey, name, tag: false)
        }
      }
      try await insertMetrics(c, runKey: runKey, batch.metrics)
      for (key, candidate) in batch.latestByKey {
        let current = try await c.first(
          "SELECT value, is_nan, timestamp, step FROM latest_metrics WHERE run_key = ? AND key = ?", [.int(runKey), .text(key)]
        ).map {
          Metric(key: key, value: RunStorageCoding.loaded($0[0].double, isNaN: Int16($0[1].int)), timestamp: $0[2].int, step: $0[3].int)
        }
        guard current.map({ candidate.supersedes($0) }) ?? true else { continue }
        let (value, nan) = RunStorageCoding.stored(candidate.value)
        try await c.execute(
          """
          INSERT INTO latest_metrics (run_key, key, value, is_nan, timestamp, step) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan,
            timestamp = excluded.timestamp, step = excluded.step
          """,
          [
            .int(runKey), .text(key), value.map(SQLValue.double) ?? .null, .int(Int64(nan)), .int(candidate.timestamp),
            .int(candidate.step),
          ])
      }
    }
  }

  /// Params are write-once: one multi-row INSERT keeps the stored values, then one read of
  /// them finds the first param logged with a different value (which rolls the batch back).
  static func insertParams(_ c: any SQLConnection, runKey: Int64, _ params: [(key: String, value: String)]) async throws {
    guard !params.isEmpty else { return }
    try await c.execute(
      "INSERT INTO params (run_key, key, value) VALUES \(Placeholders.rows(params.count, width: 3)) ON CONFLICT DO NOTHING",
      params.flatMap { [.int(runKey), .text($0.key), .text($0.value)] })
    var stored: [String: String] = [:]
    for row in try await c.query(
      "SELECT key, value FROM params WHERE run_key = ? AND key IN (\(Placeholders.list(params.count)))",
      [.int(runKey)] + params.map { .text($0.key) })
    {
      stored[row[0].text] = row[1].text
    }
    if let conflict = params.first(where: { stored[$0.key] != $0.value }) {
      throw TrackerError.paramConflict(key: conflict.key, stored: stored[conflict.key] ?? "", new: conflict.value)
    }
  }

  /// Multi-row INSERTs: one statement per chunk of points instead of one per point. SQLite
  /// steps a 200-row statement fastest; PostgreSQL pays a round trip per statement, so its
  /// chunks are as large as its 65,535 parameters allow with room to spare.
  func insertMetrics(_ c: any SQLConnection, runKey: Int64, _ metrics: [Metric]) async throws {
    let chunkSize = sql.dialect == .sqlite ? 200 : 5_000
    var statements: [(sql: String, binds: [SQLValue])] = []
    for start in stride(from: 0, to: metrics.count, by: chunkSize) {
      let chunk = metrics[start..<min(start + chunkSize, metrics.count)]
      var values: [SQLValue] = []
      values.reserveCapacity(chunk.count * 6)
      for metric in chunk {
        let (value, nan) = RunStorageCoding.stored(metric.value)
        values += [
          .int(runKey), .text(metric.key), value.map(SQLValue.double) ?? .null, .int(Int64(nan)), .int(metric.timestamp), .int(metric.step),
        ]
      }
      statements.append(
        ("INSERT INTO metrics (run_key, key, value, is_nan, timestamp, step) VALUES \(Placeholders.rows(chunk.count, width: 6))", values))
    }
    try await c.executeAll(statements)
  }
}
