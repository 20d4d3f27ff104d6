import GRPCCore
import Hummingbird
import MLOpsCore
import MLOpsProto

/// MLflow 3's logged models (`/api/2.0/mlflow/logged-models/...`, `runs/outputs`) on the
/// tracker's logged-model RPCs: what `mlflow.<flavor>.log_model` creates and what `runs:/`
/// and `models:/` URIs resolve through. A model's files are its source run's artifacts; the
/// REST front shows them as `mlflow-artifacts:/models/<model_id>`.
extension MLflowFront {
  struct LoggedModelAnswer: Encodable, Sendable { let model: MLflowLoggedModel }
  struct LoggedModelPage: Encodable, Sendable {
    let models: [MLflowLoggedModel]
    let nextPageToken: String?
  }

  func addLoggedModelRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/logged-models", rpc: Tracker.CreateLoggedModel.descriptor) { call in
      let created = try await trackerClient.createLoggedModel(
        .with {
          $0.experimentID = try call.params.required("experiment_id")
          $0.name = try call.params.string("name")
          $0.modelType = try call.params.string("model_type")
          $0.sourceRunID = try call.params.string("source_run_id")
          $0.tags = try Self.tags(call.params, "tags")
          $0.params = try call.params.tags("params").map { p in
            .with {
              $0.key = p.key
              $0.value = p.value
            }
          }
        }, metadata: call.metadata, options: call.options)
      return LoggedModelAnswer(model: MLflowLoggedModel(created.model))
    }
    endpoint(router, [.post], "/logged-models/search", rpc: Tracker.SearchLoggedModels.descriptor) { call in
      guard try call.params.strings("order_by").isEmpty, try call.params.objects("datasets").isEmpty else {
        throw MLflowError.invalidParameter("'order_by' and 'datasets' are not supported in logged model searches (oldest first)")
      }
      let (name, run) = try Self.loggedModelFilter(try call.params.string("filter"))
      let page = try await trackerClient.searchLoggedModels(
        .with {
          $0.experimentIds = try call.params.strings("experiment_ids")
          $0.name = name
          $0.sourceRunID = run
          $0.maxResults = Int32(clamping: try call.params.int("max_results") ?? 100)
          $0.pageToken = try call.params.string("page_token")
        }, metadata: call.metadata, options: call.options)
      return LoggedModelPage(
        models: page.models.map(MLflowLoggedModel.init), nextPageToken: page.nextPageToken.isEmpty ? nil : page.nextPageToken)
    }
    addLoggedModelIDRoutes(to: router)
    addOutputRoute(to: router)
  }

  private func addLoggedModelIDRoutes(to router: Router<BasicRequestContext>) {
    modelEndpoint(router, .get, "", rpc: Tracker.GetLoggedModel.descriptor) { call, id in
      LoggedModelAnswer(
        model: MLflowLoggedModel(
          try await trackerClient.getLoggedModel(.with { $0.modelID = id }, metadata: call.metadata, options: call.options).model))
    }
    modelEndpoint(router, .patch, "", rpc: Tracker.FinalizeLoggedModel.descriptor) { call, id in
      let status: Mlops_Tracker_V1_LoggedModelStatus
      switch try call.params.string("status") {
      case "LOGGED_MODEL_READY", "2": status = .ready
      case "LOGGED_MODEL_UPLOAD_FAILED", "3": status = .failed
      case let other:
        throw MLflowError.invalidParameter("'status' must be LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED, not '\(other)'")
      }
      let finalized = try await trackerClient.finalizeLoggedModel(
        .with {
          $0.modelID = id
          $0.status = status
        }, metadata: call.metadata, options: call.options)
      return LoggedModelAnswer(model: MLflowLoggedModel(finalized.model))
    }
    modelEndpoint(router, .delete, "", rpc: Tracker.DeleteLoggedModel.descriptor) { call, id in
      _ = try await trackerClient.deleteLoggedModel(.with { $0.modelID = id }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    modelEndpoint(router, .patch, "/tags", rpc: Tracker.SetLoggedModelTags.descriptor) { call, id in
      _ = try await trackerClient.setLoggedModelTags(
        .with {
          $0.modelID = id
          $0.tags = try Self.tags(call.params, "tags")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
  }

  /// `runs/outputs`: the platform records a logged model's run as its source run, so a model
  /// may be logged as an output of that run only; another run is NOT_IMPLEMENTED.
  private func addOutputRoute(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/runs/outputs", rpc: Tracker.GetLoggedModel.descriptor) { call in
      let run = try call.params.required("run_id")
      for output in try call.params.objects("models") {
        let id = try output.required("model_id")
        let model = try await trackerClient.getLoggedModel(.with { $0.modelID = id }, metadata: call.metadata, options: call.options).model
        guard model.sourceRunID == run else {
          throw MLflowError(
            "NOT_IMPLEMENTED", "logged model \(id) comes from run \(model.sourceRunID); outputs of other runs are not recorded", status: 501
          )
        }
      }
      return MLflowEmpty()
    }
  }

  /// An endpoint under `/logged-models/:model_id`.
  private func modelEndpoint<Output: Encodable & Sendable>(
    _ router: Router<BasicRequestContext>, _ method: HTTPRequest.Method, _ suffix: String, rpc: MethodDescriptor,
    _ body: @escaping @Sendable (Call, String) async throws -> Output
  ) {
    router.on(RouterPath(Self.prefix + "/logged-models/:model_id" + suffix), method: method) { request, context in
      let id = context.parameters.get("model_id") ?? ""
      return await answering(request, rpc: rpc) { call in
        Self.json(try await body(call, id), status: .ok)
      } params: {
        try await Self.params(of: request)
      }
    }
  }

  /// The filters MLflow's client sends (`name = '…'`, `source_run_id = '…'`, joined by AND)
  /// as a name and a run; anything else is refused naming the filter.
  static func loggedModelFilter(_ filter: String) throws -> (name: String, run: String) {
    let refused = MLflowError.invalidParameter(
      "'filter' '\(filter)': logged models are filtered by name = '…' and source_run_id = '…' (joined by AND) only")
    guard let tokens = try? FilterLexer.tokens(filter) else { throw refused }
    var (name, run) = ("", "")
    var i = 0
    while tokens[i].kind != .end {
      guard i + 2 < tokens.count, tokens[i].kind == .identifier, tokens[i + 1].text == "=", tokens[i + 2].kind == .string else {
        throw refused
      }
      switch tokens[i].text.lowercased() {
      case "name", "attributes.name": name = tokens[i + 2].text
      case "source_run_id", "attributes.source_run_id": run = tokens[i + 2].text
      default: throw refused
      }
      i += 3
      if tokens[i].kind == .identifier, tokens[i].text.uppercased() == "AND" { i += 1 } else if tokens[i].kind != .end { throw refused }
    }
    return (name, run)
  }
}

/// MLflow's LoggedModel as its REST API writes it: `info` and `data`.
struct MLflowLoggedModel: Encodable, Sendable {
  struct Info: Encodable, Sendable {
    let modelId: String
    let experimentId: String
    let name: String
    let creationTimestampMs: Int64
    let lastUpdatedTimestampMs: Int64
    let artifactUri: String
    let status: String
    let modelType: String
    let sourceRunId: String
    let statusMessage: String
    let tags: [MLflowEntities.Tag]
  }
  struct Data: Encodable, Sendable {
    let params: [MLflowEntities.Tag]
    let metrics: [MLflowEntities.Metric]
  }

  let info: Info
  let data: Data

  init(_ m: Mlops_Tracker_V1_LoggedModel) {
    let status: String
    switch m.status {
    case .ready: status = "LOGGED_MODEL_READY"
    case .failed: status = "LOGGED_MODEL_UPLOAD_FAILED"
    default: status = "LOGGED_MODEL_PENDING"
    }
    info = Info(
      modelId: m.modelID, experimentId: m.experimentID, name: m.name, creationTimestampMs: m.creationTime.milliseconds,
      lastUpdatedTimestampMs: m.lastUpdatedTime.milliseconds, artifactUri: "mlflow-artifacts:/models/\(m.modelID)",
      status: status, modelType: m.modelType, sourceRunId: m.sourceRunID, statusMessage: m.statusMessage,
      tags: m.tags.map { MLflowEntities.Tag(key: $0.key, value: $0.value) })
    data = Data(params: m.params.map { MLflowEntities.Tag(key: $0.key, value: $0.value) }, metrics: [])
  }
}
