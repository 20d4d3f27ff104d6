import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto

/// LogMetric and LogBatch as fast routes (issue #27): the request is decoded and checked on the
/// event loop, the write runs in a task of its own, and the answer is written from there once
/// the write is committed — an acknowledged metric is stored, as on the ordinary path, without
/// GRPCCore's per-call machinery around it.
extension TrackerService {
  /// The tracker's fast routes, for the nghttp2 transport.
  public func fastRoutes(logger: Logger) -> [FastUnaryRoute] {
    let engine = self.engine
    let now = engine.clock
    return [
      .typed(Methods.LogMetric.descriptor, logger: logger) {
        (r: Mlops_Tracker_V1_LogMetricRequest, _, responder: FastUnaryRoute.TypedResponder<Mlops_Tracker_V1_LogMetricResponse>) in
        let metric = try Self.metric(r, now: now)
        Self.write(responder, answer: Mlops_Tracker_V1_LogMetricResponse()) {
          try await engine.log(runID: r.runID, metrics: [metric], params: [], tags: [])
        }
        return (nil, later: true)
      },
      .typed(Methods.LogBatch.descriptor, logger: logger) {
        (r: Mlops_Tracker_V1_LogBatchRequest, _, responder: FastUnaryRoute.TypedResponder<Mlops_Tracker_V1_LogBatchResponse>) in
        let metrics = try Self.metrics(r, now: now)
        Self.write(responder, answer: Mlops_Tracker_V1_LogBatchResponse()) {
          try await engine.log(
            runID: r.runID, metrics: metrics, params: r.params.map { ($0.key, $0.value) }, tags: r.tags.map { ($0.key, $0.value) })
        }
        return (nil, later: true)
      },
    ]
  }

  /// Runs `write`, then answers `answer`, or the error it threw.
  private static func write<Output>(
    _ responder: FastUnaryRoute.TypedResponder<Output>, answer: Output, _ write: @escaping @Sendable () async throws -> Void
  ) {
    Task {
      do {
        try await write()
        responder.answer(answer)
      } catch {
        responder.fail(error)
      }
    }
  }

  /// LogMetric's metric: the request's timestamp, or now.
  static func metric(_ r: Mlops_Tracker_V1_LogMetricRequest, now: () -> Int64) throws -> Metric {
    Metric(
      key: r.key, value: r.value,
      timestamp: r.hasTimestamp ? try r.timestamp.milliseconds { TrackerError.invalidArgument(field: "timestamp", reason: $0) } : now(),
      step: r.step)
  }

  /// LogBatch's metrics, each with its timestamp or now.
  static func metrics(_ r: Mlops_Tracker_V1_LogBatchRequest, now: () -> Int64) throws -> [Metric] {
    try r.metrics.enumerated().map { index, m in
      Metric(
        key: m.key, value: m.value,
        timestamp: m.hasTimestamp
          ? try m.timestamp.milliseconds { TrackerError.invalidArgument(field: "metrics[\(index)].timestamp", reason: $0) } : now(),
        step: m.step)
    }
  }
}
