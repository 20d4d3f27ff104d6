import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// One prediction row as the monitor receives it: the inputs (a list input as `name_0`,
/// `name_1`… so each value is a column a monitor can test) and the outputs, with who served it.
public struct SampledPrediction: Sendable, Equatable {
  public var requestID: String
  public var deployment: String
  public var variant: String
  public var modelName: String
  public var modelVersion: Int64
  public var time: Int64
  public var latencyMilliseconds: Double
  /// Inputs and outputs as the model saw them; lists become one monitored column per element
  /// (`X_0`, `X_1`…) when sent, off the request path.
  public var features: [String: Cell]
  public var outputs: [String: Cell]
}

/// Where sampled predictions go: the monitor's LogPredictions, over gRPC, in the process.
public protocol PredictionSink: Sendable {
  func log(_ batch: [SampledPrediction]) async throws
}

/// Hands sampled predictions to the monitor without ever making a prediction wait: `offer`
/// appends to a bounded queue, and a background loop sends batches. When the queue is full,
/// or the monitor fails a batch, the records are dropped and counted (`/metrics`).
public final class PredictionSampler: Service, Sendable {
  public static let capacity = 20_000
  static let batchSize = 1_000

  let sink: any PredictionSink
  let metrics: RouterMetrics
  let logger: Logger
  let interval: Duration
  private let queue = Mutex<[SampledPrediction]>([])

  public init(sink: any PredictionSink, metrics: RouterMetrics, logger: Logger, interval: Duration = .milliseconds(100)) {
    self.sink = sink
    self.metrics = metrics
    self.logger = logger
    self.interval = interval
  }

  /// Queues `records` for the monitor, or drops (and counts) what does not fit.
  func offer(_ records: [SampledPrediction]) {
    let dropped = queue.withLock { queue -> Int in
      let room = max(Self.capacity - queue.count, 0)
      queue.append(contentsOf: records.prefix(room))
      return records.count - min(room, records.count)
    }
    if dropped > 0 { metrics.monitorDropped(dropped, reason: "queue_full") }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        await self.flush()
        try? await Task.sleep(for: self.interval)
      }
    }
    await flush(draining: true)
  }

  /// Sends what is queued, a batch at a time: back to back only while full batches wait, so a
  /// batch carries an interval's records rather than the few that arrived during the previous
  /// call (sending until the queue was empty made one call per round trip, of a handful of
  /// records each, and the monitor's per-call cost the price of sampling); `draining` sends
  /// everything (at shutdown).
  func flush(draining: Bool = false) async {
    while true {
      let batch = queue.withLock { queue -> [SampledPrediction] in
        let taken = Array(queue.prefix(Self.batchSize))
        queue.removeFirst(taken.count)
        return taken
      }
      guard !batch.isEmpty else { return }
      do {
        try await sink.log(batch)
        metrics.monitorSent(batch.count)
      } catch {
        metrics.monitorDropped(batch.count, reason: "monitor_failed")
        logger.warning("predictions for the monitor dropped", metadata: ["records": "\(batch.count)", "error": "\(error)"])
        return
      }
      if !draining, queue.withLock({ $0.count }) < Self.batchSize { return }
    }
  }
}
