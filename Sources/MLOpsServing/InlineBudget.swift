import Synchronization

/// How long a variant's model takes per row, so a call answered on the connection's event loop
/// (the transport's fast route) only runs it there when the whole batch is expected to be
/// short: a long run would hold up every other connection on that loop. Measured on every
/// run, whichever path it took; a moving average, so one slow run does not exile the model.
public final class InlineBudget: Sendable {
  /// The longest run, in nanoseconds, a call may make on an event loop.
  public static let limitNanoseconds = 500_000
  private let perRow = Atomic<Int>(0)

  public init() {}

  /// Whether `rows` rows are expected to run within the limit (a model not yet run is).
  public func fits(rows: Int) -> Bool {
    perRow.load(ordering: .relaxed) <= Self.limitNanoseconds / max(rows, 1)
  }

  /// Folds one run of `rows` rows that took `elapsed` into the average (one eighth each).
  public func record(rows: Int, elapsed: Duration) {
    let (seconds, attoseconds) = elapsed.components
    let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
    let sample = max(0, nanoseconds) / max(rows, 1)
    let old = perRow.load(ordering: .relaxed)
    perRow.store(old == 0 ? sample : old + (sample - old) / 8, ordering: .relaxed)
  }
}
