import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// The run and logging RPCs: protobuf in, engine call, protobuf out.
extension TrackerService {
  static let runMethods: [MethodDescriptor] = [
    Methods.CreateRun.descriptor, Methods.GetRun.descriptor, Methods.UpdateRun.descriptor, Methods.DeleteRun.descriptor,
    Methods.RestoreRun.descriptor, Methods.LogMetric.descriptor, Methods.LogParam.descriptor, Methods.SetTag.descriptor,
    Methods.DeleteTag.descriptor, Methods.LogBatch.descriptor, Methods.LogInputs.descriptor, Methods.GetMetricHistory.descriptor,
    Methods.SearchRuns.descriptor, Methods.WatchRunMetrics.descriptor,
  ]

  func registerRunMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    // The gateway's identity (`x-mlops-actor`, set from the caller's key) is who created the
    // run; without a gateway in front, the request's user_id is.
    router.registerUnaryWithMetadata(Methods.CreateRun.self) { (r: Mlops_Tracker_V1_CreateRunRequest, metadata, _) in
      let actor = metadata.actor
      let run = try await engine.createRun(
        experimentID: r.experimentID, name: r.runName,
        startTime: r.hasStartTime ? try r.startTime.milliseconds { TrackerError.invalidArgument(field: "start_time", reason: $0) } : nil,
        tags: r.tags.map { ($0.key, $0.value) }, source: RunSource(r.source), environment: RunEnvironment(r.environment),
        userID: actor.isEmpty ? r.userID : actor)
      return Mlops_Tracker_V1_RunResponse.with { $0.run = .init(run) }
    }
    router.registerUnary(Methods.GetRun.self) { (r: Mlops_Tracker_V1_GetRunRequest, _) in
      let run = try await engine.run(id: r.runID)
      return Mlops_Tracker_V1_RunResponse.with { $0.run = .init(run) }
    }
    router.registerUnary(Methods.UpdateRun.self) { (r: Mlops_Tracker_V1_UpdateRunRequest, _) in
      let status = try RunStatus(wire: r.status)
      let info = try await engine.updateRun(
        id: r.runID, status: status,
        endTime: r.hasEndTime ? try r.endTime.milliseconds { TrackerError.invalidArgument(field: "end_time", reason: $0) } : nil,
        name: r.runName.isEmpty ? nil : r.runName)
      return Mlops_Tracker_V1_UpdateRunResponse.with { $0.runInfo = .init(info) }
    }
    router.registerUnary(Methods.DeleteRun.self) { (r: Mlops_Tracker_V1_DeleteRunRequest, _) in
      try await engine.deleteRun(id: r.runID)
      return Mlops_Tracker_V1_DeleteRunResponse()
    }
    router.registerUnary(Methods.RestoreRun.self) { (r: Mlops_Tracker_V1_RestoreRunRequest, _) in
      try await engine.restoreRun(id: r.runID)
      return Mlops_Tracker_V1_RestoreRunResponse()
    }
    router.registerUnaryEncoded(Methods.SearchRuns.self) { (r: Mlops_Tracker_V1_SearchRunsRequest, _) in
      let view: RunSearch.View =
        switch r.viewType {
        case .deletedOnly: .deleted
        case .all: .all
        default: .active
        }
      let (runs, next) = try await engine.searchRuns(
        experimentIDs: r.experimentIds, filter: r.filter, view: view, maxResults: Int(r.maxResults), orderBy: r.orderBy,
        pageToken: r.pageToken)
      return SearchRunsAnswer(runs: runs, nextPageToken: next)
    }
    router.registerServerStreaming(Methods.WatchRunMetrics.self) {
      (r: Mlops_Tracker_V1_WatchRunMetricsRequest, writer: RPCWriter<Mlops_Tracker_V1_WatchRunMetricsResponse>, _) in
      try await engine.watchMetrics(runID: r.runID, keys: r.metricKeys, after: r.afterSequence) { point in
        try await writer.write(
          .with {
            $0.metric = .init(point.metric)
            $0.sequence = point.sequence
          })
      }
    }
    registerLoggingMethods(with: &router)
  }

  private func registerLoggingMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    let now = engine.clock
    router.registerUnary(Methods.LogMetric.self) { (r: Mlops_Tracker_V1_LogMetricRequest, _) in
      try await engine.log(runID: r.runID, metrics: [try Self.metric(r, now: now)], params: [], tags: [])
      return Mlops_Tracker_V1_LogMetricResponse()
    }
    router.registerUnary(Methods.LogParam.self) { (r: Mlops_Tracker_V1_LogParamRequest, _) in
      try await engine.log(runID: r.runID, metrics: [], params: [(r.key, r.value)], tags: [])
      return Mlops_Tracker_V1_LogParamResponse()
    }
    router.registerUnary(Methods.SetTag.self) { (r: Mlops_Tracker_V1_SetTagRequest, _) in
      try await engine.log(runID: r.runID, metrics: [], params: [], tags: [(r.key, r.value)])
      return Mlops_Tracker_V1_SetTagResponse()
    }
    router.registerUnary(Methods.DeleteTag.self) { (r: Mlops_Tracker_V1_DeleteTagRequest, _) in
      try await engine.deleteTag(runID: r.runID, key: r.key)
      return Mlops_Tracker_V1_DeleteTagResponse()
    }
    router.registerUnary(Methods.LogBatch.self) { (r: Mlops_Tracker_V1_LogBatchRequest, _) in
      try await engine.log(
        runID: r.runID, metrics: try Self.metrics(r, now: now), params: r.params.map { ($0.key, $0.value) },
        tags: r.tags.map { ($0.key, $0.value) })
      return Mlops_Tracker_V1_LogBatchResponse()
    }
    router.registerUnary(Methods.LogInputs.self) { (r: Mlops_Tracker_V1_LogInputsRequest, _) in
      try await engine.logInputs(runID: r.runID, r.datasets.map(DatasetInput.init))
      return Mlops_Tracker_V1_LogInputsResponse()
    }
    router.registerUnary(Methods.GetMetricHistory.self) { (r: Mlops_Tracker_V1_GetMetricHistoryRequest, _) in
      let (metrics, next) = try await engine.metricHistory(
        runID: r.runID, key: r.metricKey, maxResults: Int(r.maxResults), pageToken: r.pageToken)
      return Mlops_Tracker_V1_GetMetricHistoryResponse.with {
        $0.metrics = metrics.map(Mlops_Tracker_V1_Metric.init)
        $0.nextPageToken = next
      }
    }
  }
}
