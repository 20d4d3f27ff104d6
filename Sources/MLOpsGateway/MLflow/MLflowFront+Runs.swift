import GRPCCore
import Hummingbird
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// MLflow's run endpoints on the tracker's run RPCs.
extension MLflowFront {
  struct RunAnswer: Encodable, Sendable { let run: MLflowEntities.Run }
  struct RunInfoAnswer: Encodable, Sendable { let runInfo: MLflowEntities.RunInfo }
  struct RunPage: Encodable, Sendable {
    let runs: [MLflowEntities.Run]
    let nextPageToken: String?
  }
  struct MetricPage: Encodable, Sendable {
    let metrics: [MLflowEntities.Metric]
    let nextPageToken: String?
  }

  func addRunRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/runs/create", rpc: Tracker.CreateRun.descriptor) { call in
      let experiment = try await experimentID(
        try call.params.string("experiment_id").isEmpty ? "0" : call.params.string("experiment_id"), call, create: true)
      let created = try await trackerClient.createRun(
        .with {
          $0.experimentID = experiment
          $0.runName = try call.params.string("run_name")
          $0.userID = try call.params.string("user_id")
          if let start = try call.params.int("start_time") { $0.startTime = Google_Protobuf_Timestamp(milliseconds: start) }
          $0.tags = try Self.tags(call.params, "tags")
        }, metadata: call.metadata, options: call.options)
      return RunAnswer(run: MLflowEntities.run(created.run))
    }
    endpoint(router, [.get, .post], "/runs/get", rpc: Tracker.GetRun.descriptor) { call in
      let found = try await trackerClient.getRun(
        .with { $0.runID = try Self.runID(call.params) }, metadata: call.metadata, options: call.options)
      return RunAnswer(run: MLflowEntities.run(found.run))
    }
    endpoint(router, [.post], "/runs/update", rpc: Tracker.UpdateRun.descriptor) { call in
      let updated = try await trackerClient.updateRun(
        .with {
          $0.runID = try Self.runID(call.params)
          let status = try call.params.string("status")
          if !status.isEmpty { $0.status = try MLflowEntities.status(named: status, field: "status") }
          if let end = try call.params.int("end_time") { $0.endTime = Google_Protobuf_Timestamp(milliseconds: end) }
          $0.runName = try call.params.string("run_name")
        }, metadata: call.metadata, options: call.options)
      return RunInfoAnswer(runInfo: MLflowEntities.info(updated.runInfo))
    }
    endpoint(router, [.post], "/runs/delete", rpc: Tracker.DeleteRun.descriptor) { call in
      _ = try await trackerClient.deleteRun(
        .with { $0.runID = try Self.runID(call.params) }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/runs/restore", rpc: Tracker.RestoreRun.descriptor) { call in
      _ = try await trackerClient.restoreRun(
        .with { $0.runID = try Self.runID(call.params) }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    addRunSearchRoutes(to: router)
    addRunLoggingRoutes(to: router)
  }

  private func addRunSearchRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.get, .post], "/runs/search", rpc: Tracker.SearchRuns.descriptor) { call in
      var experiments: [String] = []
      for id in try call.params.strings("experiment_ids") { experiments.append(try await experimentID(id, call, create: false)) }
      let page = try await trackerClient.searchRuns(
        .with {
          $0.experimentIds = experiments
          $0.filter = try call.params.string("filter")
          $0.viewType = try MLflowEntities.viewType(try call.params.string("run_view_type"), field: "run_view_type")
          $0.maxResults = Int32(clamping: try call.params.int("max_results") ?? 1000)
          $0.orderBy = try call.params.strings("order_by")
          $0.pageToken = try call.params.string("page_token")
        }, metadata: call.metadata, options: call.options)
      return RunPage(runs: page.runs.map(MLflowEntities.run), nextPageToken: page.nextPageToken.isEmpty ? nil : page.nextPageToken)
    }
    endpoint(router, [.get, .post], "/metrics/get-history", rpc: Tracker.GetMetricHistory.descriptor) { call in
      let page = try await trackerClient.getMetricHistory(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.metricKey = try call.params.required("metric_key")
          $0.maxResults = Int32(clamping: try call.params.int("max_results") ?? 0)
          $0.pageToken = try call.params.string("page_token")
        }, metadata: call.metadata, options: call.options)
      return MetricPage(
        metrics: page.metrics.map(MLflowEntities.metric), nextPageToken: page.nextPageToken.isEmpty ? nil : page.nextPageToken)
    }
  }

  private func addRunLoggingRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/runs/log-metric", rpc: Tracker.LogMetric.descriptor) { call in
      let metric = try Self.metric(call.params)
      _ = try await trackerClient.logMetric(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.key = metric.key
          $0.value = metric.value
          $0.timestamp = metric.timestamp
          $0.step = metric.step
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/runs/log-parameter", rpc: Tracker.LogParam.descriptor) { call in
      _ = try await trackerClient.logParam(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.key = try call.params.required("key")
          $0.value = try call.params.string("value")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/runs/set-tag", rpc: Tracker.SetTag.descriptor) { call in
      _ = try await trackerClient.setTag(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.key = try call.params.required("key")
          $0.value = try call.params.string("value")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/runs/delete-tag", rpc: Tracker.DeleteTag.descriptor) { call in
      _ = try await trackerClient.deleteTag(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.key = try call.params.required("key")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    addBatchRoutes(to: router)
  }

  private func addBatchRoutes(to router: Router<BasicRequestContext>) {
    router.post(RouterPath(Self.prefix + "/runs/log-batch")) { request, _ in
      await answering(request, rpc: Tracker.LogBatch.descriptor) { call in
        let body = try await request.body.collect(upTo: Self.maxBody)
        let batch = try MLflowLogBatchBody.decode(Array(buffer: body)).request()
        _ = try await trackerClient.logBatch(batch, metadata: call.metadata, options: call.options)
        return Self.json(MLflowEmpty(), status: .ok)
      } params: {
        MLflowParams(formEncoded: "")
      }
    }
    endpoint(router, [.post], "/runs/log-inputs", rpc: Tracker.LogInputs.descriptor) { call in
      _ = try await trackerClient.logInputs(
        .with {
          $0.runID = try Self.runID(call.params)
          $0.datasets = try call.params.objects("datasets").map(Self.datasetInput)
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
  }

  /// `run_id`, or MLflow's older `run_uuid`.
  static func runID(_ params: MLflowParams) throws -> String {
    let id = try params.string("run_id")
    return id.isEmpty ? try params.required("run_uuid") : id
  }

  static func tags(_ params: MLflowParams, _ name: String) throws -> [Mlops_Common_V1_Tag] {
    try params.tags(name).map { tag in
      .with {
        $0.key = tag.key
        $0.value = tag.value
      }
    }
  }

  /// A metric of log-metric or log-batch; its timestamp defaults to now, as MLflow's client sets it.
  static func metric(_ params: MLflowParams) throws -> Mlops_Tracker_V1_Metric {
    guard let value = try params.double("value") else { throw MLflowError.invalidParameter("missing value for required parameter 'value'") }
    let key = try params.required("key")
    let timestamp = try params.int("timestamp")
    let step = try params.int("step") ?? 0
    return .with {
      $0.key = key
      $0.value = value
      if let timestamp { $0.timestamp = Google_Protobuf_Timestamp(milliseconds: timestamp) }
      $0.step = step
    }
  }

  static func datasetInput(_ params: MLflowParams) throws -> Mlops_Tracker_V1_DatasetInput {
    let dataset = try params.object("dataset")
    return try .with {
      $0.tags = try tags(params, "tags")
      $0.dataset = try .with {
        $0.name = try dataset?.string("name") ?? ""
        $0.digest = try dataset?.string("digest") ?? ""
        $0.sourceType = try dataset?.string("source_type") ?? ""
        $0.source = try dataset?.string("source") ?? ""
        $0.schema = try dataset?.string("schema") ?? ""
        $0.profile = try dataset?.string("profile") ?? ""
      }
    }
  }
}
