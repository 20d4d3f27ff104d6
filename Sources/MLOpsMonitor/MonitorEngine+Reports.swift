import Foundation
import MLOpsStatistics

/// Drift reports on demand, stored reports, control charts.
extension MonitorEngine {
  /// What ComputeDrift compares the reference with.
  public enum Current: Sendable {
    case window(String)
    case rows([[String: FieldValue]])
  }

  /// Drift of the reference against a closed window or the given rows, stored as a report.
  public func computeDrift(monitor name: String, current: Current, tests: [String: MonitorDefinition.TestChoice]) async throws
    -> DriftResult
  {
    let monitor = try await monitor(name)
    guard monitor.hasReference else {
      throw MonitorError.failedPrecondition(field: "monitor", reason: "monitor '\(name)' has no reference; call SetReference first")
    }
    for (column, test) in tests {
      guard let spec = monitor.driftColumns.first(where: { $0.name == column }) else {
        throw MonitorError.invalidArgument(field: "tests[\(column)]", reason: "'\(column)' is not a monitored feature or prediction column")
      }
      try MonitorDefinition.checkTest(test, kind: spec.kind, field: "tests[\(column)]")
    }
    let profile = try await profiles.profile(monitor.profileID, store: store)
    var window: WindowRecord?
    var rows = WindowColumns(monitor: monitor)
    switch current {
    case .window(let id):
      guard let found = try await store.window(id), found.monitor == monitor.name else { throw MonitorError.windowNotFound(id) }
      window = found
      rows = try await columns(of: found, monitor: monitor)
    case .rows(let values):
      guard !values.isEmpty else { throw MonitorError.invalidArgument(field: "rows", reason: "name a window_id or send rows") }
      for (index, row) in values.enumerated() {
        rows.append(try Self.monitored(row, monitor: monitor, field: "rows.rows[\(index)]"))
      }
    }
    let drift = try await DriftComputation.run(monitor: monitor, profile: profile, current: rows, overrides: tests)
    let performance = WindowMetrics.performance(monitor: monitor, rows: rows)
    let report = DriftResult(
      reportID: UUID().uuidString.lowercased(), monitor: monitor.name, windowID: window?.windowID ?? "",
      windowStart: window?.startTime ?? 0, windowEnd: window?.endTime ?? 0, rows: Int64(rows.count), columns: drift.columns,
      datasetDrift: drift.datasetDrift, driftedShare: drift.driftedShare, performance: performance,
      metrics: WindowMetrics.chartMetrics(monitor: monitor, rows: rows, drift: drift, performance: performance), computedTime: clock())
    try await store.save(report)
    return report
  }

  public func report(_ id: String) async throws -> DriftResult {
    guard !id.isEmpty else { throw MonitorError.invalidArgument(field: "report_id", reason: "must not be empty") }
    guard let report = try await store.report(id) else { throw MonitorError.reportNotFound(id) }
    return report
  }

  /// Reports of a monitor computed in [start, end) (0: unbounded), newest first.
  public func reports(monitor name: String, start: Int64, end: Int64, pageSize: Int, pageToken: String) async throws -> (
    [DriftResult], String
  ) {
    let monitor = try await monitor(name)
    let cursor = try Self.cursor(pageToken)
    let limit = try Self.limit(pageSize)
    let page = try await store.reports(monitor: monitor.name, start: start, end: end == 0 ? .max : end, before: cursor, limit: limit + 1)
    let shown = Array(page.prefix(limit))
    return (shown, page.count > limit ? "\(shown.last!.computedTime)|\(shown.last!.reportID)" : "")
  }

  static func cursor(_ token: String) throws -> (Int64, String)? {
    guard !token.isEmpty else { return nil }
    let parts = token.split(separator: "|", maxSplits: 1)
    guard parts.count == 2, let time = Int64(parts[0]) else {
      throw MonitorError.invalidArgument(field: "page.page_token", reason: "is not a token this service issued")
    }
    return (time, String(parts[1]))
  }

  static func limit(_ pageSize: Int) throws -> Int {
    guard pageSize >= 0 else { throw MonitorError.invalidArgument(field: "page.page_size", reason: "must not be negative") }
    return pageSize == 0 ? 100 : min(pageSize, 1000)
  }

  /// A control chart of `metric` over the monitor's closed windows (the latest report per
  /// window), by the monitor's chart settings for it or a Shewhart chart by default.
  public func controlChart(monitor name: String, metric: String) async throws -> (
    MonitorDefinition.Chart, [(end: Int64, value: Double)], ControlChart
  ) {
    let monitor = try await monitor(name)
    guard !metric.isEmpty else { throw MonitorError.invalidArgument(field: "metric", reason: "must not be empty") }
    let spec = monitor.charts.first { $0.metric == metric } ?? MonitorDefinition.Chart(metric: metric, baselineWindows: 10)
    let series = try await series(monitor: monitor.name, metric: metric)
    return (spec, series, ControlChart(values: series.map(\.value), kind: Self.kind(spec), baseline: spec.baselineWindows))
  }

  static func kind(_ spec: MonitorDefinition.Chart) -> ControlChart.Kind {
    switch spec.type {
    case .shewhart: .shewhart
    case .ewma: .ewma(lambda: spec.ewmaLambda, width: spec.ewmaL)
    case .cusum: .cusum(k: spec.cusumK, h: spec.cusumH)
    }
  }

  /// Window ids are `<monitor>:<number>`.
  static func windowNumber(_ id: String) -> Int64 { Int64(id.split(separator: ":").last ?? "") ?? 0 }

  /// One value per closed window that has the metric, in window order.
  func series(monitor: String, metric: String) async throws -> [(end: Int64, value: Double)] {
    var latest: [String: DriftResult] = [:]
    for report in try await store.windowReports(monitor: monitor) { latest[report.windowID] = report }
    return latest.values
      .sorted { Self.windowNumber($0.windowID) < Self.windowNumber($1.windowID) }
      .compactMap { report in report.metrics[metric].map { (report.windowEnd, $0) } }
  }
}
