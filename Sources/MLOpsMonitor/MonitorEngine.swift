import Foundation
import Logging
import MLOpsCore

/// The monitor's logic, knowing no generated types: definitions, references, ingestion,
/// windows evaluated in the background, drift reports, control charts and alerts.
public final class MonitorEngine: Sendable {
  let store: MonitorStore
  let logger: Logger
  /// Milliseconds since the epoch; injectable so tests can move time.
  let clock: @Sendable () -> Int64
  /// Serialises window closing, so two concurrent batches cannot close one window twice.
  let windowLock = AsyncLock()
  let profiles = ProfileCache()
  /// Closed windows kept decoded and sorted, so reports on a recent window skip storage.
  let windowCache: WindowCache
  let openWindows = OpenWindows()
  let broadcast = AlertBroadcast()
  let actions: AlertActions
  let closed: AsyncStream<WindowRecord>
  let closedSink: AsyncStream<WindowRecord>.Continuation
  /// Closed windows whose predictions received labels: their performance is recomputed.
  let relabeled: AsyncStream<WindowRecord>
  let relabeledSink: AsyncStream<WindowRecord>.Continuation
  /// How often time-based windows are checked.
  let tick: Duration
  /// Largest LogPredictions / LogLabels batch.
  public static let maxBatch = 10_000
  /// Enough for two million-row windows of twenty numeric columns.
  public static let defaultWindowCacheBytes = 512 << 20

  /// - Parameters:
  ///   - windowCacheBytes: memory for decoded closed windows (a million rows of twenty
  ///     numeric columns take about 220 MB); 0 reads every window from storage.
  ///   - observeWindowCache: told the windows and bytes held after each change.
  public init(
    store: MonitorStore, actions: AlertActions, logger: Logger, tick: Duration = .milliseconds(500),
    windowCacheBytes: Int = MonitorEngine.defaultWindowCacheBytes,
    observeWindowCache: @escaping @Sendable (_ windows: Int, _ bytes: Int) -> Void = { _, _ in },
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    (self.store, self.actions, self.logger, self.tick, self.clock) = (store, actions, logger, tick, clock)
    windowCache = WindowCache(budget: windowCacheBytes, observe: observeWindowCache)
    (closed, closedSink) = AsyncStream.makeStream(of: WindowRecord.self)
    (relabeled, relabeledSink) = AsyncStream.makeStream(of: WindowRecord.self)
  }

  public func createMonitor(_ definition: MonitorDefinition) async throws -> MonitorDefinition {
    var monitor = try definition.validated(webhooks: actions.webhooks)
    monitor.profileID = ""
    monitor.createdTime = clock()
    monitor.updatedTime = monitor.createdTime
    try await store.create(monitor)
    return monitor
  }

  /// Replaces the definition; the reference, creation time and closed windows stay.
  public func updateMonitor(_ definition: MonitorDefinition) async throws -> MonitorDefinition {
    let replacement = try definition.validated(webhooks: actions.webhooks)
    let now = clock()
    let updated = try await store.modify(definition.name) { monitor in
      let (created, profile) = (monitor.createdTime, monitor.profileID)
      monitor = replacement
      (monitor.createdTime, monitor.profileID, monitor.updatedTime) = (created, profile, now)
    }
    await windowCache.invalidate(monitor: updated.name)
    return updated
  }

  /// A closed window's columns, sorted for drift: from the cache or read from storage.
  func columns(of window: WindowRecord, monitor: MonitorDefinition) async throws -> WindowColumns {
    let store = self.store
    return try await windowCache.columns(of: window, monitor: monitor) { try await store.columns(of: window, monitor: monitor) }
  }

  /// - Parameter field: how the request names the monitor (`name` in GetMonitor, `monitor`
  ///   elsewhere), for the error.
  public func monitor(_ name: String, field: String = "monitor") async throws -> MonitorDefinition {
    try MonitorDefinition.checkName(name, field: field)
    guard let monitor = try await store.monitor(name) else { throw MonitorError.monitorNotFound(name) }
    return monitor
  }

  /// A page of monitors by name; the token is the last name returned.
  public func monitors(deployment: String, pageSize: Int, pageToken: String) async throws -> ([MonitorDefinition], String) {
    guard pageSize >= 0 else { throw MonitorError.invalidArgument(field: "page.page_size", reason: "must not be negative") }
    let limit = pageSize == 0 ? 100 : min(pageSize, 1000)
    let page = try await store.monitors(deployment: deployment, after: pageToken, limit: limit + 1)
    let shown = Array(page.prefix(limit))
    return (shown, page.count > limit ? shown.last!.name : "")
  }
}

/// Decoded reference profiles by id: a profile is immutable once stored, and decoding a large
/// one per window would dominate evaluation.
actor ProfileCache {
  private var profiles: [String: ReferenceProfile] = [:]

  func profile(_ id: String, store: MonitorStore) async throws -> ReferenceProfile {
    if let cached = profiles[id] { return cached }
    guard let profile = try await store.profile(id) else { throw MonitorError.profileNotFound(id) }
    if profiles.count > 16 { profiles.removeAll() }
    profiles[id] = profile
    return profile
  }
}

/// Each monitor's open window as last counted; read and written holding `windowLock`.
actor OpenWindows {
  private var windows: [String: OpenWindow] = [:]

  func get(_ monitor: String) -> OpenWindow? { windows[monitor] }
  func set(_ monitor: String, _ window: OpenWindow) { windows[monitor] = window }
  func forget(_ monitor: String) { windows[monitor] = nil }
}
