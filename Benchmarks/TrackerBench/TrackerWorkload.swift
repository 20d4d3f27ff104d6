import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto

/// The phases of the workload, each timed with a monotonic clock.
struct TrackerWorkload: Sendable {
  let tracker: TrackerBench.Client
  let concurrency: Int

  static func metric(_ key: String, _ value: Double, step: Int64) -> Mlops_Tracker_V1_Metric {
    .with {
      $0.key = key
      $0.value = value
      $0.step = step
      $0.timestamp = .init(date: Date())
    }
  }

  static func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  func experiment(_ name: String) async throws -> String {
    try await tracker.createExperiment(.with { $0.name = name }).experiment.experimentID
  }

  /// CreateRun then one LogBatch of 10 params and 100 points: one unit of the ingest figure.
  func ingestRun(_ experiment: String) async throws {
    let run = try await tracker.createRun(.with { $0.experimentID = experiment }).run.info.runID
    _ = try await tracker.logBatch(
      .with {
        $0.runID = run
        $0.params = (0..<10).map { i in
          .with {
            $0.key = "p\(i)"
            $0.value = "\(i)"
          }
        }
        $0.metrics = (0..<100).map { Self.metric("loss", Double.random(in: 0..<1), step: Int64($0)) }
      })
  }

  /// `count` units split over `workers` concurrent tasks; returns the elapsed seconds.
  func concurrently(_ count: Int, workers: Int, _ unit: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for worker in 0..<workers {
        group.addTask {
          for i in stride(from: worker, to: count, by: workers) { try await unit(i) }
        }
      }
      try await group.waitForAll()
    }
    return Self.seconds(clock.now - start)
  }

  /// Calls `body` `count` times serially; latencies in milliseconds.
  func latencies(_ count: Int, _ body: () async throws -> Void) async throws -> [Double] {
    let clock = ContinuousClock()
    var samples: [Double] = []
    for _ in 0..<count {
      let start = clock.now
      try await body()
      samples.append(Self.seconds(clock.now - start) * 1000)
    }
    return samples
  }

  func run(searchRuns: Int) async throws -> [String: Double] {
    let tag = "bench-\(UInt64(Date().timeIntervalSince1970 * 1000))-\(UInt32.random(in: 0...UInt32.max))"
    var results: [String: Double] = [:]
    let ingest = try await experiment(tag + "-ingest")
    let serial = try await concurrently(200, workers: 1) { _ in try await ingestRun(ingest) }
    results["ingest_points_per_s"] = 20_000 / serial
    let parallel = try await concurrently(200, workers: concurrency) { _ in try await ingestRun(ingest) }
    results["ingest_concurrent_points_per_s"] = 20_000 / parallel
    // The floor under every figure: a primary-key read through the same client and server.
    let floor = try await latencies(1000) { _ = try await tracker.getExperiment(.with { $0.experimentID = ingest }) }
    results["get_experiment_p50_ms"] = Self.percentile(floor, 0.5)
    let run = try await tracker.createRun(.with { $0.experimentID = ingest }).run.info.runID
    var step: Int64 = 0
    let single = try await latencies(1000) {
      step += 1
      _ = try await tracker.logMetric(
        .with {
          $0.runID = run
          $0.key = "single"
          $0.value = Double(step)
          $0.step = step
        })
    }
    results["log_metric_p50_ms"] = Self.percentile(single, 0.5)
    results["log_metric_p99_ms"] = Self.percentile(single, 0.99)
    let history = try await latencies(100) {
      let count = try await tracker.getMetricHistory(
        .with {
          $0.runID = run
          $0.metricKey = "single"
        }
      ).metrics.count
      precondition(count == 1000, "history returned \(count) points")
    }
    results["history_1000_p50_ms"] = Self.percentile(history, 0.5)
    results["history_1000_p99_ms"] = Self.percentile(history, 0.99)
    try await search(tag: tag, runs: searchRuns, into: &results)
    return results
  }

  func search(tag: String, runs: Int, into results: inout [String: Double]) async throws {
    let experiment = try await experiment(tag + "-search")
    let seeding = try await concurrently(runs, workers: concurrency) { i in
      let run = try await tracker.createRun(.with { $0.experimentID = experiment }).run.info.runID
      _ = try await tracker.logBatch(
        .with {
          $0.runID = run
          $0.metrics = [Self.metric("m0", Double.random(in: 0..<1), step: 0)]
          $0.params =
            [
              .with {
                $0.key = "p1"
                $0.value = i % 10 == 0 ? "x" : "y"
              }
            ]
            + (0..<4).map { j in
              .with {
                $0.key = "q\(j)"
                $0.value = "\(j)"
              }
            }
        })
    }
    results["seed_runs_per_s"] = Double(runs) / seeding
    var found = 0
    let samples = try await latencies(50) {
      found = try await tracker.searchRuns(
        .with {
          $0.experimentIds = [experiment]
          $0.filter = "metrics.m0 > 0.5 and params.p1 = 'x'"
          $0.maxResults = 1000
        }
      ).runs.count
    }
    results["search_matches"] = Double(found)
    results["search_p50_ms"] = Self.percentile(samples, 0.5)
    results["search_p99_ms"] = Self.percentile(samples, 0.99)
  }
}
