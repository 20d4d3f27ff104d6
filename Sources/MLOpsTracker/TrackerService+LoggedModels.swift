import GRPCCore
import MLOpsProto

/// The logged-model RPCs: protobuf ⇄ ``LoggedModelEngine``.
extension TrackerService {
  func registerLoggedModelMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let models = self.models
    router.registerUnary(Methods.CreateLoggedModel.self) { (r: Mlops_Tracker_V1_CreateLoggedModelRequest, _) in
      let created = try await models.create(
        .init(
          experimentID: r.experimentID, name: r.name, sourceRunID: r.sourceRunID, modelType: r.modelType,
          tags: r.tags.map { ($0.key, $0.value) }, params: r.params.map { ($0.key, $0.value) }))
      return Mlops_Tracker_V1_LoggedModelResponse.with { $0.model = .init(created) }
    }
    router.registerUnary(Methods.GetLoggedModel.self) { (r: Mlops_Tracker_V1_GetLoggedModelRequest, _) in
      let found = try await models.model(id: r.modelID)
      return Mlops_Tracker_V1_LoggedModelResponse.with { $0.model = .init(found) }
    }
    router.registerUnary(Methods.FinalizeLoggedModel.self) { (r: Mlops_Tracker_V1_FinalizeLoggedModelRequest, _) in
      let status: LoggedModel.Status
      switch r.status {
      case .ready: status = .ready
      case .failed: status = .failed
      default: throw TrackerError.invalidArgument(field: "status", reason: "must be READY or FAILED")
      }
      let finalized = try await models.finalize(id: r.modelID, status: status, message: r.statusMessage)
      return Mlops_Tracker_V1_LoggedModelResponse.with { $0.model = .init(finalized) }
    }
    router.registerUnary(Methods.SetLoggedModelTags.self) { (r: Mlops_Tracker_V1_SetLoggedModelTagsRequest, _) in
      let tagged = try await models.setTags(id: r.modelID, r.tags.map { ($0.key, $0.value) })
      return Mlops_Tracker_V1_LoggedModelResponse.with { $0.model = .init(tagged) }
    }
    router.registerUnary(Methods.SearchLoggedModels.self) { (r: Mlops_Tracker_V1_SearchLoggedModelsRequest, _) in
      let (found, next) = try await models.search(
        experimentIDs: r.experimentIds, name: r.name, runID: r.sourceRunID, maxResults: Int(r.maxResults), pageToken: r.pageToken)
      return Mlops_Tracker_V1_SearchLoggedModelsResponse.with {
        $0.models = found.map { .init($0) }
        $0.nextPageToken = next
      }
    }
    router.registerUnary(Methods.DeleteLoggedModel.self) { (r: Mlops_Tracker_V1_DeleteLoggedModelRequest, _) in
      try await models.delete(id: r.modelID)
      return Mlops_Tracker_V1_DeleteLoggedModelResponse()
    }
  }
}

extension Mlops_Tracker_V1_LoggedModel {
  init(_ model: LoggedModel) {
    self.init()
    modelID = model.id
    experimentID = String(model.experimentID)
    name = model.name
    sourceRunID = model.sourceRunID
    modelType = model.modelType
    switch model.status {
    case .pending: status = .pending
    case .ready: status = .ready
    case .failed: status = .failed
    }
    statusMessage = model.statusMessage
    creationTime = .init(milliseconds: model.creationTime)
    lastUpdatedTime = .init(milliseconds: model.lastUpdatedTime)
    tags = Mlops_Common_V1_Tag.inKeyOrder(model.tags)
    params = model.params.sorted { $0.key < $1.key }.map { p in
      .with {
        $0.key = p.key
        $0.value = p.value
      }
    }
    artifactPath = model.artifactPath
  }
}
