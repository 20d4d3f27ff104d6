/// Following a run's metrics as they are logged (WatchRunMetrics, `mlops runs tail`).
extension TrackerEngine {
  /// Emits every point logged after `after` (a sequence number from an earlier point, 0 for
  /// the whole history), then polls for new ones. Polling the store, rather than an in-process
  /// broadcast, keeps it correct when several tracker replicas share PostgreSQL. Returns once
  /// the run has ended (FINISHED, FAILED, KILLED) and everything is sent, or when cancelled.
  public func watchMetrics(
    runID: String, keys: [String], after: Int64, pollInterval: Duration = .milliseconds(200),
    emit: (MetricPoint) async throws -> Void
  ) async throws {
    _ = try await run(id: runID)
    for (index, key) in keys.enumerated() { try Self.validateKey(key, field: "metric_keys[\(index)]") }
    guard after >= 0 else { throw TrackerError.invalidArgument(field: "after_sequence", reason: "must not be negative") }
    var cursor = after
    while !Task.isCancelled {
      let points = try await runs.metricsSince(runID: runID, sequence: cursor, keys: keys, limit: 1000)
      for point in points {
        try await emit(point)
        cursor = point.sequence
      }
      if points.count == 1000 { continue }
      if points.isEmpty, let run = try await runs.run(id: runID), [.finished, .failed, .killed].contains(run.info.status) {
        // A last look: points logged just before the status change must not be lost.
        let late = try await runs.metricsSince(runID: runID, sequence: cursor, keys: keys, limit: Int.max / 2)
        for point in late { try await emit(point) }
        return
      }
      try await Task.sleep(for: pollInterval)
    }
  }
}
