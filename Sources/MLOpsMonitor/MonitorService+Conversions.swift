import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Protobuf ⇄ domain for the monitor API.
extension MonitorDefinition {
  /// - Throws: INVALID_ARGUMENT naming an enum field with a value this server does not know.
  init(_ p: Mlops_Monitor_V1_Monitor) throws {
    self.init(name: p.name)
    deployment = p.deployment
    modelName = p.model.modelName
    switch p.model.selector {
    case .version(let version)?: modelVersion = version
    case .alias(let alias)?: modelAlias = alias
    case nil: break
    }
    columns = try p.columns.enumerated().map { index, c in
      let field = "monitor.columns[\(index)]"
      return Column(
        name: c.name, kind: try Self.known(ColumnKind(rawValue: c.kind.rawValue), "\(field).kind"),
        role: try Self.known(ColumnRole(rawValue: c.role.rawValue), "\(field).role"),
        test: try Self.known(TestChoice(rawValue: c.test.rawValue), "\(field).test"), threshold: c.threshold)
    }
    task = try Self.known(Task(rawValue: p.task.rawValue), "monitor.task")
    windowSize = p.window.size
    windowMilliseconds = try p.window.duration.milliseconds { MonitorError.invalidArgument(field: "monitor.window.duration", reason: $0) }
    driftShare = p.driftShareThreshold
    correction = try Self.known(Correction(rawValue: p.correction.rawValue), "monitor.correction")
    charts = try p.charts.enumerated().map { index, c in
      Chart(
        metric: c.metric, type: try Self.known(ChartType(rawValue: c.type.rawValue), "monitor.charts[\(index)].type"),
        baselineWindows: Int(c.baselineWindows), ewmaLambda: c.ewmaLambda, ewmaL: c.ewmaL, cusumK: c.cusumK, cusumH: c.cusumH)
    }
    actions = try p.actions.enumerated().map { index, a in
      switch a.action {
      case .webhook(let w)?: .webhook(url: w.url)
      case .retrain(let r)?: .retrain(url: r.url, schedule: r.schedule)
      case .rollback(let r)?: .rollback(routerAddress: r.routerAddress, deployment: r.deployment.isEmpty ? p.deployment : r.deployment)
      case nil: throw MonitorError.invalidArgument(field: "monitor.actions[\(index)]", reason: "set webhook, retrain or rollback")
      }
    }
    performanceThresholds = p.performanceThresholds.map { PerformanceThreshold(metric: $0.metric, value: $0.value) }
    cooldownMilliseconds = try p.cooldown.milliseconds { MonitorError.invalidArgument(field: "monitor.cooldown", reason: $0) }
  }

  static func known<T>(_ value: T?, _ field: String) throws -> T {
    guard let value else { throw MonitorError.invalidArgument(field: field, reason: "is not a value this server knows") }
    return value
  }
}

extension Mlops_Monitor_V1_Monitor {
  init(_ m: MonitorDefinition) {
    self.init()
    name = m.name
    deployment = m.deployment
    if !m.modelName.isEmpty {
      model.modelName = m.modelName
      if m.modelVersion > 0 { model.version = m.modelVersion } else if !m.modelAlias.isEmpty { model.alias = m.modelAlias }
    }
    columns = m.columns.map { c in
      .with {
        $0.name = c.name
        $0.kind = .init(rawValue: c.kind.rawValue) ?? .unspecified
        $0.role = .init(rawValue: c.role.rawValue) ?? .feature
        $0.test = .init(rawValue: c.test.rawValue) ?? .auto
        $0.threshold = c.threshold
      }
    }
    task = .init(rawValue: m.task.rawValue) ?? .unspecified
    window.size = m.windowSize
    if m.windowMilliseconds > 0 { window.duration = .init(milliseconds: m.windowMilliseconds) }
    driftShareThreshold = m.driftShare
    correction = .init(rawValue: m.correction.rawValue) ?? .none
    charts = m.charts.map { c in
      .with {
        $0.metric = c.metric
        $0.type = .init(rawValue: c.type.rawValue) ?? .shewhart
        $0.baselineWindows = Int32(c.baselineWindows)
        ($0.ewmaLambda, $0.ewmaL, $0.cusumK, $0.cusumH) = (c.ewmaLambda, c.ewmaL, c.cusumK, c.cusumH)
      }
    }
    actions = m.actions.map { a in
      switch a {
      case .webhook(let url): .with { $0.webhook.url = url }
      case .retrain(let url, let schedule):
        .with {
          $0.retrain = .with {
            $0.url = url
            $0.schedule = schedule
          }
        }
      case .rollback(let address, let deployment):
        .with {
          $0.rollback = .with {
            $0.routerAddress = address
            $0.deployment = deployment
          }
        }
      }
    }
    performanceThresholds = m.performanceThresholds.map { t in
      .with {
        $0.metric = t.metric
        $0.value = t.value
      }
    }
    if m.cooldownMilliseconds > 0 { cooldown = .init(milliseconds: m.cooldownMilliseconds) }
    hasReference_p = m.hasReference
    createdTime = .init(milliseconds: m.createdTime)
    updatedTime = .init(milliseconds: m.updatedTime)
  }
}

extension FieldValue {
  init(_ v: Mlops_Common_V1_Value) {
    switch v.kind {
    case nil, .nullValue?: self = .missing
    case .int64Value(let x)?: self = .number(Double(x))
    case .doubleValue(let x)?: self = .number(x)
    case .floatValue(let x)?: self = .number(Double(x))
    case .boolValue(let x)?: self = .number(x ? 1 : 0)
    case .stringValue(let x)?: self = .text(x)
    case .bytesValue?: self = .unsupported("bytes value")
    case .int64List?, .doubleList?, .floatList?, .stringList?, .boolList?: self = .unsupported("list")
    }
  }

  static func map(_ values: [String: Mlops_Common_V1_Value]) -> [String: FieldValue] {
    values.mapValues(FieldValue.init)
  }
}

extension Prediction {
  /// - Throws: INVALID_ARGUMENT naming `<field>.time` outside protobuf's Timestamp range.
  init(_ p: Mlops_Monitor_V1_PredictionRecord, field: String) throws {
    var values = FieldValue.map(p.features)
    for (name, value) in p.outputs { values[name] = FieldValue(value) }
    self.init(
      requestID: p.requestID, deployment: p.deployment, variant: p.variant, modelVersion: p.modelVersion,
      time: p.hasTime ? try p.time.milliseconds { MonitorError.invalidArgument(field: "\(field).time", reason: $0) } : 0,
      latencyMilliseconds: p.latencyMs, values: values)
  }
}

extension Mlops_Monitor_V1_DriftReport {
  init(_ r: DriftResult) {
    self.init()
    reportID = r.reportID
    monitor = r.monitor
    windowID = r.windowID
    if r.windowStart > 0 { windowStart = .init(milliseconds: r.windowStart) }
    if r.windowEnd > 0 { windowEnd = .init(milliseconds: r.windowEnd) }
    rows = r.rows
    columns = r.columns.map { c in
      .with {
        $0.column = c.column
        $0.test = .init(rawValue: c.test.rawValue) ?? .auto
        $0.statistic = c.statistic
        if let p = c.pValue { $0.pValue = p }
        $0.threshold = c.threshold
        $0.drifted = c.drifted
      }
    }
    datasetDrift = r.datasetDrift
    driftedShare = r.driftedShare
    performance = r.performance
    computedTime = .init(milliseconds: r.computedTime)
  }
}

extension Mlops_Monitor_V1_Alert {
  init(_ a: AlertRecord) {
    self.init()
    alertID = a.alertID
    monitor = a.monitor
    kind = .init(rawValue: a.kind.rawValue) ?? .unspecified
    state = .init(rawValue: a.state.rawValue) ?? .open
    message = a.message
    dedupKey = a.dedupKey
    reportID = a.reportID
    createdTime = .init(milliseconds: a.createdTime)
    acknowledgedBy = a.acknowledgedBy
    outcomes = a.outcomes.map { o in
      .with {
        $0.action = o.action
        $0.succeeded = o.succeeded
        $0.attempts = Int32(o.attempts)
        $0.detail = o.detail
        $0.time = .init(milliseconds: o.time)
      }
    }
  }
}

extension PredictionBatch {
  init(_ p: Mlops_Monitor_V1_PredictionColumns) {
    var columns: [String: Column] = [:]
    for (name, vector) in p.values {
      switch vector.kind {
      case .numbers(let list)?: columns[name] = .numbers(list.values)
      case .texts(let list)?: columns[name] = .texts(list.values)
      case nil: columns[name] = .numbers([])
      }
    }
    self.init(
      requestIDs: p.requestIds, times: p.timeUnixMs, latencies: p.latencyMs, deployment: p.deployment, variant: p.variant,
      modelVersion: p.modelVersion, columns: columns)
  }
}

extension Mlops_Monitor_V1_LogPredictionsResponse {
  func accepting(_ count: Int) -> Self {
    var response = self
    response.recordsAccepted = Int64(count)
    return response
  }
}
