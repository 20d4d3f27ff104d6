import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops.monitor.v1.MonitorService` on the wire: converts protobuf ⇄ domain and calls the
/// engine.
public struct MonitorService: RegistrableRPCService {
  typealias Methods = Mlops_Monitor_V1_MonitorService.Method
  let engine: MonitorEngine

  public init(engine: MonitorEngine) {
    self.engine = engine
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    registerDefinitionMethods(with: &router)
    registerIngestMethods(with: &router)
    registerReportMethods(with: &router)
    registerAlertMethods(with: &router)
  }

  func registerDefinitionMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.CreateMonitor.self) { (r: Mlops_Monitor_V1_CreateMonitorRequest, _) in
      let monitor = try await engine.createMonitor(try MonitorDefinition(r.monitor))
      return Mlops_Monitor_V1_MonitorResponse.with { $0.monitor = .init(monitor) }
    }
    router.registerUnary(Methods.UpdateMonitor.self) { (r: Mlops_Monitor_V1_UpdateMonitorRequest, _) in
      let monitor = try await engine.updateMonitor(try MonitorDefinition(r.monitor))
      return Mlops_Monitor_V1_MonitorResponse.with { $0.monitor = .init(monitor) }
    }
    router.registerUnary(Methods.GetMonitor.self) { (r: Mlops_Monitor_V1_GetMonitorRequest, _) in
      let monitor = try await engine.monitor(r.name, field: "name")
      return Mlops_Monitor_V1_MonitorResponse.with { $0.monitor = .init(monitor) }
    }
    router.registerUnary(Methods.ListMonitors.self) { (r: Mlops_Monitor_V1_ListMonitorsRequest, _) in
      let (monitors, next) = try await engine.monitors(
        deployment: r.deployment, pageSize: Int(r.page.pageSize), pageToken: r.page.pageToken)
      return Mlops_Monitor_V1_ListMonitorsResponse.with {
        $0.monitors = monitors.map(Mlops_Monitor_V1_Monitor.init)
        $0.nextPageToken = next
      }
    }
  }

  func registerIngestMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerClientStreaming(Methods.SetReference.self) {
      (messages: RPCAsyncSequence<Mlops_Monitor_V1_SetReferenceRequest, any Error>, _, _) in
      try await Self.setReference(messages, engine: engine)
    }
    router.registerUnary(Methods.LogPredictions.self) { (r: Mlops_Monitor_V1_LogPredictionsRequest, _) in
      Mlops_Monitor_V1_LogPredictionsResponse().accepting(try await Self.log(r, engine: engine))
    }
    router.registerClientStreaming(Methods.LogPredictionsStream.self) {
      (messages: RPCAsyncSequence<Mlops_Monitor_V1_LogPredictionsRequest, any Error>, _, _) in
      Mlops_Monitor_V1_LogPredictionsResponse().accepting(try await Self.logStream(messages, engine: engine))
    }
    router.registerUnary(Methods.LogLabels.self) { (r: Mlops_Monitor_V1_LogLabelsRequest, _) in
      let (matched, unmatched) = try await engine.logLabels(
        monitor: r.monitor,
        try r.labels.enumerated().map { index, l in
          (
            l.requestID, FieldValue(l.label),
            l.hasTime ? try l.time.milliseconds { MonitorError.invalidArgument(field: "labels[\(index)].time", reason: $0) } : 0
          )
        })
      return Mlops_Monitor_V1_LogLabelsResponse.with {
        $0.labelsMatched = Int64(matched)
        $0.labelsUnmatched = Int64(unmatched)
      }
    }
  }

  /// Records, then columns, validated together and stored in one transaction.
  static func log(_ r: Mlops_Monitor_V1_LogPredictionsRequest, engine: MonitorEngine) async throws -> Int {
    try await engine.commit(try await prepare(r, engine: engine))
  }

  static func prepare(_ r: Mlops_Monitor_V1_LogPredictionsRequest, engine: MonitorEngine) async throws -> PreparedPredictions {
    let records = try await engine.prepare(monitor: r.monitor, r.records.enumerated().map { try Prediction($1, field: "records[\($0)]") })
    guard r.hasColumns else { return records }
    return records.merged(with: try await engine.prepare(monitor: r.monitor, PredictionBatch(r.columns)))
  }

  /// Each message is stored as it arrives, in order, while the next one is decoded and
  /// encoded (``PipelinedIngest``). A rejected message ends the call after the messages before
  /// it are stored.
  static func logStream(_ messages: RPCAsyncSequence<Mlops_Monitor_V1_LogPredictionsRequest, any Error>, engine: MonitorEngine) async throws
    -> Int
  {
    try await PipelinedIngest.run(
      messages, initial: 0, prepare: { r, _ in try await prepare(r, engine: engine) }, commit: { try await engine.commit($0) }, combine: +)
  }

  /// Header first (the monitor, or a stored profile to reuse), then row batches profiled as
  /// they arrive; nothing is stored unless the whole stream is read without error.
  static func setReference(_ messages: RPCAsyncSequence<Mlops_Monitor_V1_SetReferenceRequest, any Error>, engine: MonitorEngine)
    async throws -> Mlops_Monitor_V1_SetReferenceResponse
  {
    var header: Mlops_Monitor_V1_ReferenceHeader?
    var builder: ProfileBuilder?
    var rowIndex = 0
    for try await message in messages {
      switch message.part {
      case .header(let h)?:
        guard header == nil else { throw MonitorError.invalidArgument(field: "header", reason: "send the header once, first") }
        guard !h.monitor.isEmpty else { throw MonitorError.invalidArgument(field: "header.monitor", reason: "must not be empty") }
        header = h
        if h.profileID.isEmpty { builder = try await engine.referenceBuilder(monitor: h.monitor) }
      case .rows(let batch)?:
        guard header != nil else { throw MonitorError.invalidArgument(field: "header", reason: "send the header first") }
        guard builder != nil else { throw MonitorError.invalidArgument(field: "rows", reason: "send rows or a profile_id, not both") }
        for row in batch.rows {
          try builder!.add(FieldValue.map(row.values), field: "rows[\(rowIndex)]")
          rowIndex += 1
        }
      case nil:
        throw MonitorError.invalidArgument(field: "part", reason: "set header or rows")
      }
    }
    guard let header else { throw MonitorError.invalidArgument(field: "header", reason: "the stream had no header") }
    let (rows, id) =
      if let builder { try await engine.setReference(monitor: header.monitor, builder: builder) } else {
        try await engine.reuseReference(monitor: header.monitor, profileID: header.profileID)
      }
    return .with {
      $0.rowsProfiled = rows
      $0.profileID = id
    }
  }
}
