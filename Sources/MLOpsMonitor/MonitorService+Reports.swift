import GRPCCore
import MLOpsCore
import MLOpsProto
import MLOpsStatistics

/// Drift reports, control charts and alerts on the wire.
extension MonitorService {
  func registerReportMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.ComputeDrift.self) { (r: Mlops_Monitor_V1_ComputeDriftRequest, _) in
      let current: MonitorEngine.Current =
        switch r.current {
        case .windowID(let id)?: .window(id)
        case .rows(let rows)?: .rows(rows.rows.map { FieldValue.map($0.values) })
        case nil: throw MonitorError.invalidArgument(field: "current", reason: "name a window_id or send rows")
        }
      var tests: [String: MonitorDefinition.TestChoice] = [:]
      for (column, test) in r.tests {
        tests[column] = try MonitorDefinition.known(MonitorDefinition.TestChoice(rawValue: test.rawValue), "tests[\(column)]")
      }
      let report = try await engine.computeDrift(monitor: r.monitor, current: current, tests: tests)
      return Mlops_Monitor_V1_DriftReportResponse.with { $0.report = .init(report) }
    }
    router.registerUnary(Methods.GetDriftReport.self) { (r: Mlops_Monitor_V1_GetDriftReportRequest, _) in
      let report = try await engine.report(r.reportID)
      return Mlops_Monitor_V1_DriftReportResponse.with { $0.report = .init(report) }
    }
    router.registerUnary(Methods.ListDriftReports.self) { (r: Mlops_Monitor_V1_ListDriftReportsRequest, _) in
      let (reports, next) = try await engine.reports(
        monitor: r.monitor,
        start: r.hasStartTime ? try r.startTime.milliseconds { MonitorError.invalidArgument(field: "start_time", reason: $0) } : 0,
        end: r.hasEndTime ? try r.endTime.milliseconds { MonitorError.invalidArgument(field: "end_time", reason: $0) } : 0,
        pageSize: Int(r.page.pageSize), pageToken: r.page.pageToken)
      return Mlops_Monitor_V1_ListDriftReportsResponse.with {
        $0.reports = reports.map(Mlops_Monitor_V1_DriftReport.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnary(Methods.GetControlChart.self) { (r: Mlops_Monitor_V1_GetControlChartRequest, _) in
      let (spec, series, chart) = try await engine.controlChart(monitor: r.monitor, metric: r.metric)
      return Self.chartResponse(spec, series, chart)
    }
  }

  static func chartResponse(
    _ spec: MonitorDefinition.Chart, _ series: [(end: Int64, value: Double)], _ chart: ControlChart
  ) -> Mlops_Monitor_V1_GetControlChartResponse {
    .with {
      $0.metric = spec.metric
      $0.type = .init(rawValue: spec.type.rawValue) ?? .shewhart
      $0.points = zip(series, chart.statistics).map { point, statistic in
        .with {
          $0.windowEnd = .init(milliseconds: point.end)
          $0.value = point.value
          $0.statistic = statistic
        }
      }
      $0.centerLine = chart.center
      $0.upperControlLimit = chart.upperLimit
      $0.lowerControlLimit = chart.lowerLimit
      $0.violations = chart.violations.map { v in
        .with {
          $0.index = Int32(v.index)
          $0.rule = v.rule
          $0.description_p = v.description
        }
      }
    }
  }

  func registerAlertMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.ListAlerts.self) { (r: Mlops_Monitor_V1_ListAlertsRequest, _) in
      let states = try r.states.enumerated().map { index, state in
        try MonitorDefinition.known(AlertRecord.State(rawValue: state.rawValue), "states[\(index)]")
      }
      let (alerts, next) = try await engine.alerts(
        monitor: r.monitor, states: states, pageSize: Int(r.page.pageSize), pageToken: r.page.pageToken)
      return Mlops_Monitor_V1_ListAlertsResponse.with {
        $0.alerts = alerts.map(Mlops_Monitor_V1_Alert.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnaryWithMetadata(Methods.AcknowledgeAlert.self) { (r: Mlops_Monitor_V1_AcknowledgeAlertRequest, metadata, _) in
      let actor = metadata.actor
      let alert = try await engine.acknowledge(alert: r.alertID, by: actor, comment: r.comment)
      return Mlops_Monitor_V1_AlertResponse.with { $0.alert = .init(alert) }
    }
    router.registerServerStreaming(Methods.WatchAlerts.self) {
      (r: Mlops_Monitor_V1_WatchAlertsRequest, writer: RPCWriter<Mlops_Monitor_V1_AlertResponse>, _) in
      for await alert in try await engine.watchAlerts(monitor: r.monitor) {
        try await writer.write(.with { $0.alert = .init(alert) })
      }
    }
  }
}
