import Foundation
import MLOpsStatistics

/// Alerts: raised from a window's report, de-duplicated, their actions run in the
/// background and recorded on the alert.
extension MonitorEngine {
  /// Raises the alerts a window's report calls for: dataset drift, a performance threshold
  /// crossed, a control-chart rule broken at this window.
  func raiseAlerts(monitor: MonitorDefinition, report: DriftResult) async throws {
    var candidates = Self.driftAlerts(report) + Self.performanceAlerts(monitor: monitor, report: report)
    for chart in monitor.charts {
      let series = try await series(monitor: monitor.name, metric: chart.metric)
      let result = ControlChart(values: series.map(\.value), kind: Self.kind(chart), baseline: chart.baselineWindows)
      guard series.count > chart.baselineWindows, let violation = result.violations.last, violation.index == series.count - 1 else {
        continue
      }
      candidates.append(
        (
          .controlChart, "chart:\(chart.metric):\(violation.rule)",
          "\(chart.metric) in window \(report.windowID): \(violation.rule) \(violation.description)"
        ))
    }
    try await raise(candidates, monitor: monitor, report: report)
  }

  typealias Candidate = (kind: AlertRecord.Kind, key: String, message: String)

  static func driftAlerts(_ report: DriftResult) -> [Candidate] {
    guard report.datasetDrift else { return [] }
    let columns = report.columns.filter(\.drifted).map(\.column).joined(separator: ", ")
    return [(.drift, "drift", "dataset drift in window \(report.windowID): \(columns) (share \(report.driftedShare))")]
  }

  static func performanceAlerts(monitor: MonitorDefinition, report: DriftResult) -> [Candidate] {
    monitor.performanceThresholds.compactMap { threshold in
      guard let value = report.performance[threshold.metric],
        threshold.alertsAbove ? value > threshold.value : value < threshold.value
      else { return nil }
      return (
        .performance, "performance:\(threshold.metric)",
        "\(threshold.metric) \(value) is \(threshold.alertsAbove ? "above" : "below") \(threshold.value) in window \(report.windowID)"
      )
    }
  }

  /// Stores each candidate unless de-duplicated, publishes it and starts its actions.
  func raise(_ candidates: [Candidate], monitor: MonitorDefinition, report: DriftResult) async throws {
    for (kind, key, message) in candidates {
      let alert = AlertRecord(
        alertID: UUID().uuidString.lowercased(), monitor: monitor.name, kind: kind, state: .open, message: message,
        dedupKey: key, reportID: report.reportID, createdTime: clock())
      guard try await store.raise(alert, cooldown: monitor.cooldownMilliseconds) else { continue }
      await broadcast.publish(alert)
      if !monitor.actions.isEmpty {
        Task { await self.runActions(monitor.actions, for: alert) }
      }
    }
  }

  /// Runs each action, recording its outcome on the alert as it completes.
  func runActions(_ list: [MonitorDefinition.Action], for alert: AlertRecord) async {
    for action in list {
      let outcome = await actions.perform(action, alert: alert, now: clock)
      do {
        let updated = try await store.modifyAlert(alert.alertID) { $0.outcomes.append(outcome) }
        await broadcast.publish(updated)
      } catch {
        logger.error("recording an alert action failed", metadata: ["alert": "\(alert.alertID)", "error": "\(error)"])
      }
    }
  }

  public func alerts(monitor: String, states: [AlertRecord.State], pageSize: Int, pageToken: String) async throws -> ([AlertRecord], String)
  {
    if !monitor.isEmpty { _ = try await self.monitor(monitor) }
    let limit = try Self.limit(pageSize)
    let page = try await store.alerts(monitor: monitor, states: states, before: try Self.cursor(pageToken), limit: limit + 1)
    let shown = Array(page.prefix(limit))
    return (shown, page.count > limit ? "\(shown.last!.createdTime)|\(shown.last!.alertID)" : "")
  }

  public func acknowledge(alert id: String, by actor: String, comment: String) async throws -> AlertRecord {
    guard !id.isEmpty else { throw MonitorError.invalidArgument(field: "alert_id", reason: "must not be empty") }
    let alert = try await store.modifyAlert(id) { alert in
      guard alert.state == .open else {
        throw MonitorError.failedPrecondition(
          field: "alert_id", reason: "alert '\(id)' is already \(alert.state == .acknowledged ? "acknowledged" : "resolved")")
      }
      alert.state = .acknowledged
      alert.acknowledgedBy = actor
      alert.comment = comment
    }
    await broadcast.publish(alert)
    return alert
  }

  /// Alerts of `monitor` (all when empty) as they are raised or change, until cancelled.
  public func watchAlerts(monitor: String) async throws -> AsyncStream<AlertRecord> {
    if !monitor.isEmpty { _ = try await self.monitor(monitor) }
    return await broadcast.subscribe(monitor: monitor)
  }
}

/// Fans alert changes out to WatchAlerts streams.
actor AlertBroadcast {
  private var subscribers: [UUID: (monitor: String, sink: AsyncStream<AlertRecord>.Continuation)] = [:]

  func subscribe(monitor: String) -> AsyncStream<AlertRecord> {
    let (stream, sink) = AsyncStream.makeStream(of: AlertRecord.self, bufferingPolicy: .bufferingNewest(1000))
    let id = UUID()
    subscribers[id] = (monitor, sink)
    sink.onTermination = { _ in Task { await self.remove(id) } }
    return stream
  }

  func publish(_ alert: AlertRecord) {
    for (_, subscriber) in subscribers where subscriber.monitor.isEmpty || subscriber.monitor == alert.monitor {
      subscriber.sink.yield(alert)
    }
  }

  private func remove(_ id: UUID) { subscribers[id] = nil }
}
