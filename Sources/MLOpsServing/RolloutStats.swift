import Synchronization

/// Each variant's requests, errors and latencies since its deployment's current interval
/// began: what a canary check judges. Latencies beyond ``maxSamples`` per interval are
/// counted but not kept (the percentiles then describe the first ones).
final class RolloutStats: Sendable {
  static let maxSamples = 100_000

  struct Window: Sendable {
    var requests: Int64 = 0
    var errors: Int64 = 0
    var latencies: [Double] = []

    mutating func add(milliseconds: Double, failed: Bool) {
      requests += 1
      if failed { errors += 1 }
      if latencies.count < RolloutStats.maxSamples { latencies.append(milliseconds) }
    }
  }

  private let windows = Mutex<[String: [String: Window]]>([:])

  /// Records one request of `variant`: its latency in milliseconds and whether it failed.
  func record(deployment: String, variant: String, milliseconds: Double, failed: Bool) {
    windows.withLock { all in
      // In place: a copy out and back would copy the latencies on every request.
      all[deployment, default: [:]][variant, default: Window()].add(milliseconds: milliseconds, failed: failed)
    }
  }

  /// The figures of each named variant since the last reset, then a fresh interval.
  func take(deployment: String, variants: [String]) -> [RolloutState.Analysis] {
    let taken = windows.withLock { all in all.removeValue(forKey: deployment) ?? [:] }
    return variants.map { name in
      let window = taken[name] ?? Window()
      let sorted = window.latencies.sorted()
      return RolloutState.Analysis(
        variant: name, requests: window.requests, errors: window.errors,
        latencyP50Milliseconds: Self.percentile(sorted, 0.50), latencyP99Milliseconds: Self.percentile(sorted, 0.99))
    }
  }

  /// Forgets a deployment's interval (a new step, a pause, a resume).
  func reset(deployment: String) {
    _ = windows.withLock { $0.removeValue(forKey: deployment) }
  }

  /// The nearest-rank percentile of sorted values; 0 for none.
  static func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }
}
