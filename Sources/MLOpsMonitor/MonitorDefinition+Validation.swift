/// The rules a monitor definition must meet, and the defaults an empty field takes.
extension MonitorDefinition {
  /// Per-window metrics a control chart can follow besides `drift.<column>`.
  public static let chartMetrics: Set<String> = [
    "mean_prediction", "error_rate", "accuracy", "latency_p99", "latency_mean", "drift_share", "rows",
  ]
  public static let performanceMetrics: Set<String> = ["accuracy", "f1", "roc_auc", "precision", "recall", "rmse", "mae"]

  /// Checks every field, naming the first bad one as the proto spells it
  /// (`monitor.columns[2].test`), and fills defaults.
  /// - Parameter webhooks: where webhook actions may point (literal addresses are checked here).
  public func validated(webhooks: WebhookTargets = WebhookTargets(allowPrivate: false)) throws -> MonitorDefinition {
    var result = self
    try Self.checkName(name, field: "monitor.name")
    try checkColumns()
    guard windowSize >= 0 else { throw invalid("monitor.window.size", "must not be negative") }
    guard windowMilliseconds >= 0 else { throw invalid("monitor.window.duration", "must not be negative") }
    guard windowSize > 0 || windowMilliseconds > 0 else {
      throw invalid("monitor.window", "set a size, a duration or both, so windows close")
    }
    if result.driftShare == 0 { result.driftShare = 0.5 }
    guard result.driftShare > 0, result.driftShare <= 1 else {
      throw invalid("monitor.drift_share_threshold", "must be in (0, 1]")
    }
    guard cooldownMilliseconds >= 0 else { throw invalid("monitor.cooldown", "must not be negative") }
    result.charts = try charts.enumerated().map { try checkChart($1, field: "monitor.charts[\($0)]") }
    for (index, action) in actions.enumerated() { try Self.checkAction(action, field: "monitor.actions[\(index)]", webhooks: webhooks) }
    try checkPerformance()
    return result
  }

  static func checkName(_ name: String, field: String) throws {
    guard !name.isEmpty else { throw MonitorError.invalidArgument(field: field, reason: "must not be empty") }
    guard name.count <= 256, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) else {
      throw MonitorError.invalidArgument(field: field, reason: "use at most 256 letters, digits, '.', '_' or '-'")
    }
  }

  /// A test fits the column's kind (an unspecified kind fits any test).
  static func checkTest(_ test: TestChoice, kind: ColumnKind, field: String) throws {
    switch (test, kind) {
    case (.ks, .categorical), (.wasserstein, .categorical):
      throw MonitorError.invalidArgument(field: field, reason: "needs a numerical column")
    case (.chiSquared, .numerical), (.jensenShannon, .numerical), (.zProportion, .numerical):
      throw MonitorError.invalidArgument(field: field, reason: "needs a categorical column")
    default: break
    }
  }

  private func invalid(_ field: String, _ reason: String) -> MonitorError {
    .invalidArgument(field: field, reason: reason)
  }

  private func checkColumns() throws {
    guard !columns.isEmpty else { throw invalid("monitor.columns", "name at least one column") }
    var seen: Set<String> = []
    for (index, column) in columns.enumerated() {
      let field = "monitor.columns[\(index)]"
      guard !column.name.isEmpty else { throw invalid("\(field).name", "must not be empty") }
      guard seen.insert(column.name).inserted else { throw invalid("\(field).name", "'\(column.name)' appears twice") }
      try Self.checkTest(column.test, kind: column.kind, field: "\(field).test")
      guard column.threshold.isFinite, column.threshold >= 0 else { throw invalid("\(field).threshold", "must be a non-negative number") }
      if [.ks, .chiSquared, .zProportion].contains(column.test), column.threshold > 1 {
        throw invalid("\(field).threshold", "is a p-value and must be at most 1")
      }
    }
    guard columns.count(where: { $0.role == .label }) <= 1 else { throw invalid("monitor.columns", "at most one label column") }
    guard columns.count(where: { $0.role == .prediction }) <= 1 else { throw invalid("monitor.columns", "at most one prediction column") }
  }

  private func checkChart(_ chart: Chart, field: String) throws -> Chart {
    var chart = chart
    let driftColumn = chart.metric.hasPrefix("drift.") ? String(chart.metric.dropFirst(6)) : nil
    guard Self.chartMetrics.contains(chart.metric) || driftColumns.contains(where: { $0.name == driftColumn }) else {
      throw invalid("\(field).metric", "'\(chart.metric)' is not a per-window metric of this monitor")
    }
    if chart.baselineWindows == 0 { chart.baselineWindows = 10 }
    guard chart.baselineWindows >= 2 else { throw invalid("\(field).baseline_windows", "needs at least 2 windows") }
    if chart.ewmaLambda == 0 { chart.ewmaLambda = 0.2 }
    if chart.ewmaL == 0 { chart.ewmaL = 3 }
    if chart.cusumK == 0 { chart.cusumK = 0.5 }
    if chart.cusumH == 0 { chart.cusumH = 5 }
    guard chart.ewmaLambda > 0, chart.ewmaLambda <= 1 else { throw invalid("\(field).ewma_lambda", "must be in (0, 1]") }
    guard chart.ewmaL > 0, chart.ewmaL.isFinite else { throw invalid("\(field).ewma_l", "must be positive and finite") }
    guard chart.cusumK >= 0, chart.cusumK.isFinite else { throw invalid("\(field).cusum_k", "must be finite and not negative") }
    guard chart.cusumH > 0, chart.cusumH.isFinite else { throw invalid("\(field).cusum_h", "must be positive and finite") }
    return chart
  }

  static func checkAction(_ action: Action, field: String, webhooks: WebhookTargets) throws {
    switch action {
    case .webhook(let url), .retrain(let url, _):
      let urlField = "\(field).\(action.name == "webhook" ? "webhook" : "retrain").url"
      guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
        throw MonitorError.invalidArgument(field: urlField, reason: "must be an http:// or https:// URL")
      }
      if let refused = webhooks.refusal(url: url) { throw MonitorError.invalidArgument(field: urlField, reason: refused) }
      if case .retrain(_, let schedule) = action, !schedule.isEmpty {
        do { _ = try CronSchedule(schedule) } catch let error as CronError {
          throw MonitorError.invalidArgument(field: "\(field).retrain.schedule", reason: error.description)
        }
      }
    case .rollback(let address, let deployment):
      guard let colon = address.lastIndex(of: ":"), Int(address[address.index(after: colon)...]) != nil else {
        throw MonitorError.invalidArgument(field: "\(field).rollback.router_address", reason: "must be host:port")
      }
      guard !deployment.isEmpty else {
        throw MonitorError.invalidArgument(field: "\(field).rollback.deployment", reason: "must not be empty")
      }
    }
  }

  private func checkPerformance() throws {
    for (index, threshold) in performanceThresholds.enumerated() {
      let field = "monitor.performance_thresholds[\(index)]"
      guard Self.performanceMetrics.contains(threshold.metric) else {
        throw invalid("\(field).metric", "'\(threshold.metric)' is not one of \(Self.performanceMetrics.sorted().joined(separator: ", "))")
      }
      guard threshold.value.isFinite else { throw invalid("\(field).value", "must be a number") }
      guard task != .unspecified else { throw invalid("monitor.task", "performance thresholds need a task") }
      guard predictionColumn != nil else { throw invalid("monitor.columns", "performance thresholds need a prediction column") }
    }
  }
}
