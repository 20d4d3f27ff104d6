import Foundation
import Synchronization

/// A token bucket per API key: `rate` calls per second on average, bursts of twice that. One
/// busy key is slowed with RESOURCE_EXHAUSTED and a retry hint instead of slowing everyone.
public final class RateLimiter: Sendable {
  struct Bucket {
    var tokens: Double
    var last: ContinuousClock.Instant
  }

  let rate: Double
  let burst: Double
  private let buckets = Mutex<[String: Bucket]>([:])

  /// - Parameter rate: calls per second per key; must be above 0.
  public init(rate: Double) {
    self.rate = rate
    self.burst = max(2 * rate, 1)
  }

  /// Takes one call's token for `key`; nil when the call may go, else how long to wait.
  func take(_ key: String, now: ContinuousClock.Instant = .now) -> Duration? {
    buckets.withLock { all in
      var bucket = all[key] ?? Bucket(tokens: burst, last: now)
      let elapsed = now - bucket.last
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      bucket.tokens = min(burst, bucket.tokens + seconds * rate)
      bucket.last = now
      defer { all[key] = bucket }
      if bucket.tokens >= 1 {
        bucket.tokens -= 1
        return nil
      }
      return .milliseconds(Int64(((1 - bucket.tokens) / rate * 1000).rounded(.up)))
    }
  }
}
