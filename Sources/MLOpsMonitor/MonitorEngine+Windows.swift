import Foundation
import ServiceLifecycle

/// Windows closing on count or time, and their evaluation in the background.
extension MonitorEngine {
  /// Closes every window of `monitor` its open predictions fill (by count), queueing each for
  /// evaluation. Counting only the predictions stored since the last call keeps this cheap
  /// however large the window.
  func closeFullWindows(_ monitor: MonitorDefinition) async throws {
    guard monitor.windowSize > 0 else { return }
    let name = monitor.name
    try await windowLock.withLock {
      try await updatingOpenWindow(name) { open in
        while open.count >= monitor.windowSize {
          guard let last = try await store.sequence(monitor: name, after: open.after, offset: monitor.windowSize - 1) else { break }
          try await close(&open, monitor: name, through: last)
        }
      }
    }
  }

  /// Runs `change` on the refreshed open window and keeps the result; after a failure the
  /// window is forgotten, so the next call reads it back from storage rather than trusting a
  /// count that may be stale. Called holding `windowLock`.
  func updatingOpenWindow(_ name: String, _ change: (inout OpenWindow) async throws -> Void) async throws {
    do {
      var open = try await refreshedWindow(name)
      try await change(&open)
      await openWindows.set(name, open)
    } catch {
      await openWindows.forget(name)
      throw error
    }
  }

  /// The open window, brought up to date with the predictions stored since it was last seen.
  /// Called holding `windowLock`.
  func refreshedWindow(_ name: String) async throws -> OpenWindow {
    guard var open = await openWindows.get(name) else {
      let loaded = try await store.openWindow(monitor: name)
      await openWindows.set(name, loaded)
      return loaded
    }
    let new = try await store.newPredictions(monitor: name, after: open.watermark)
    guard new.count > 0 else { return open }
    open.firstTime = open.count == 0 ? new.firstTime : min(open.firstTime, new.firstTime)
    open.count += new.count
    open.watermark = new.last
    return open
  }

  /// Closes the open window's predictions through sequence `last`; what remains opens the next.
  func close(_ open: inout OpenWindow, monitor name: String, through last: Int64) async throws {
    let window = try await store.closeWindow(monitor: name, number: open.nextNumber, after: open.after, through: last)
    closedSink.yield(window)
    open.after = last
    open.nextNumber += 1
    open.count -= window.rows
    open.firstTime = open.count > 0 ? try await store.firstTime(monitor: name, after: last, through: open.watermark) : 0
  }

  /// Every tick, per monitor: closes the open window when its duration has passed since its
  /// first prediction, and fires the retraining schedules due this minute.
  func tickMonitors() async throws {
    var token = ""
    repeat {
      let page = try await store.monitors(deployment: "", after: token, limit: 500)
      for monitor in page {
        if monitor.windowMilliseconds > 0 { try await closeTimedWindow(monitor) }
        try await runSchedules(monitor)
      }
      token = page.count == 500 ? page.last!.name : ""
    } while !token.isEmpty
  }

  func closeTimedWindow(_ monitor: MonitorDefinition) async throws {
    try await windowLock.withLock {
      try await updatingOpenWindow(monitor.name) { open in
        if open.count > 0, clock() - open.firstTime >= monitor.windowMilliseconds {
          try await close(&open, monitor: monitor.name, through: open.watermark)
        }
      }
    }
  }

  /// Fires each retraining action whose schedule matches this minute, once per minute (a
  /// record per firing, keyed by the action, makes it once across restarts and replicas),
  /// recording the webhook's outcome on that record as on an alert.
  func runSchedules(_ monitor: MonitorDefinition) async throws {
    let now = clock()
    for (index, action) in monitor.actions.enumerated() {
      guard case .retrain(_, let schedule) = action, !schedule.isEmpty, let cron = try? CronSchedule(schedule),
        cron.matches(milliseconds: now)
      else { continue }
      let record = AlertRecord(
        alertID: UUID().uuidString.lowercased(), monitor: monitor.name, kind: .unspecified, state: .resolved,
        message: "scheduled retraining (\(schedule))", dedupKey: "schedule:\(index)", reportID: "", createdTime: now)
      // Blocks a second record created since the start of this minute.
      guard try await store.raise(record, cooldown: now % 60_000 + 1) else { continue }
      await broadcast.publish(record)
      Task { await self.runActions([action], for: record) }
    }
  }

  /// Evaluates a closed window: drift against the reference (when there is one),
  /// performance from the labels present, chart metrics; stores the report and raises alerts.
  @discardableResult
  func evaluate(_ window: WindowRecord) async throws -> DriftResult {
    let monitor = try await monitor(window.monitor)
    let rows = try await columns(of: window, monitor: monitor)
    var drift: DriftComputation.Outcome?
    if monitor.hasReference {
      let profile = try await profiles.profile(monitor.profileID, store: store)
      drift = try await DriftComputation.run(monitor: monitor, profile: profile, current: rows, strict: false)
    }
    let performance = WindowMetrics.performance(monitor: monitor, rows: rows)
    let report = DriftResult(
      reportID: UUID().uuidString.lowercased(), monitor: monitor.name, windowID: window.windowID,
      windowStart: window.startTime, windowEnd: window.endTime, rows: Int64(rows.count), columns: drift?.columns ?? [],
      datasetDrift: drift?.datasetDrift ?? false, driftedShare: drift?.driftedShare ?? 0, performance: performance,
      metrics: WindowMetrics.chartMetrics(monitor: monitor, rows: rows, drift: drift, performance: performance),
      computedTime: clock())
    try await store.save(report)
    try await raiseAlerts(monitor: monitor, report: report)
    return report
  }

  /// Recomputes a closed window's performance from the labels stored now, updates its newest
  /// report and raises the performance alerts it calls for.
  func refreshPerformance(_ window: WindowRecord) async throws {
    let monitor = try await monitor(window.monitor)
    guard var report = try await store.latestReport(window: window.windowID) else { return }
    let rows = try await columns(of: window, monitor: monitor)
    let performance = WindowMetrics.performance(monitor: monitor, rows: rows)
    guard performance != report.performance else { return }
    report.performance = performance
    report.metrics.merge(WindowMetrics.performanceMetrics(performance)) { _, new in new }
    try await store.replace(report)
    try await raise(Self.performanceAlerts(monitor: monitor, report: report), monitor: monitor, report: report)
  }

  /// The background work: evaluate windows as they close (and those closed but not
  /// evaluated before a restart), recompute performance as labels arrive, and close timed
  /// windows every tick.
  public func runBackground() async throws {
    for window in try await store.unevaluatedWindows() { closedSink.yield(window) }
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask {
        for await window in self.closed {
          do { try await self.evaluate(window) } catch {
            self.logger.error("window evaluation failed", metadata: ["window": "\(window.windowID)", "error": "\(error)"])
          }
        }
      }
      group.addTask {
        for await window in self.relabeled {
          do { try await self.refreshPerformance(window) } catch {
            self.logger.error("performance refresh failed", metadata: ["window": "\(window.windowID)", "error": "\(error)"])
          }
        }
      }
      group.addTask {
        while !Task.isCancelled {
          try? await Task.sleep(for: self.tick)
          if Task.isCancelled { return }
          do { try await self.tickMonitors() } catch is CancellationError { return } catch {
            self.logger.error("timed windows or schedules failed", metadata: ["error": "\(error)"])
          }
        }
      }
    }
  }
}

/// The engine's background work as a lifecycle service: stops on graceful shutdown.
public struct MonitorBackground: Service {
  let engine: MonitorEngine

  public init(engine: MonitorEngine) {
    self.engine = engine
  }

  public func run() async throws {
    do {
      try await cancelWhenGracefulShutdown { try await engine.runBackground() }
    } catch is CancellationError {
      // Shutdown: windows closed but not evaluated are picked up at the next start.
    }
  }
}
