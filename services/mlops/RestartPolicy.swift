/// When `mlops up` starts a crashed process again, as Kubernetes does for a pod: after 1 s,
/// doubling to 30 s while it keeps crashing, and not at all once it has crashed
/// ``maxCrashes`` times within ``window`` — then the launcher stops the platform, naming it.
struct RestartPolicy {
  /// Crashes within ``window`` after which the launcher gives up.
  static let maxCrashes = 5
  static let window: Duration = .seconds(120)

  private var crashes: [String: [ContinuousClock.Instant]] = [:]

  /// The delay before starting `name` again after a crash at `now`, or nil to give up.
  mutating func delay(after name: String, at now: ContinuousClock.Instant) -> Duration? {
    var recent = (crashes[name] ?? []).filter { now - $0 < Self.window }
    recent.append(now)
    crashes[name] = recent
    guard recent.count < Self.maxCrashes else { return nil }
    return min(.seconds(1 << (recent.count - 1)), .seconds(30))
  }

  /// How many times `name` crashed within the window.
  func recentCrashes(of name: String) -> Int { crashes[name]?.count ?? 0 }
}
