import GRPCCore
import MLOpsCore
import MLOpsProto

/// SearchExperiments, UpdateExperiment, Delete/Restore and SetExperimentTag on the wire.
extension TrackerService {
  static let experimentMethods: [MethodDescriptor] = [
    Methods.SearchExperiments.descriptor, Methods.UpdateExperiment.descriptor, Methods.DeleteExperiment.descriptor,
    Methods.RestoreExperiment.descriptor, Methods.SetExperimentTag.descriptor,
  ]

  func registerExperimentMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.SearchExperiments.self) { (r: Mlops_Tracker_V1_SearchExperimentsRequest, _) in
      let view: RunSearch.View =
        switch r.viewType {
        case .deletedOnly: .deleted
        case .all: .all
        default: .active
        }
      let (experiments, next) = try await engine.searchExperiments(
        filter: r.filter, orderBy: r.orderBy, view: view, maxResults: Int(r.maxResults), pageToken: r.pageToken)
      return Mlops_Tracker_V1_SearchExperimentsResponse.with {
        $0.experiments = experiments.map(Mlops_Tracker_V1_Experiment.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnary(Methods.UpdateExperiment.self) { (r: Mlops_Tracker_V1_UpdateExperimentRequest, _) in
      let experiment = try await engine.updateExperiment(
        id: r.experimentID, newName: r.newName, description: r.hasDescription_p ? r.description_p : nil)
      return Mlops_Tracker_V1_GetExperimentResponse.with { $0.experiment = .init(experiment) }
    }
    router.registerUnary(Methods.DeleteExperiment.self) { (r: Mlops_Tracker_V1_DeleteExperimentRequest, _) in
      try await engine.deleteExperiment(id: r.experimentID)
      return Mlops_Tracker_V1_DeleteExperimentResponse()
    }
    router.registerUnary(Methods.RestoreExperiment.self) { (r: Mlops_Tracker_V1_RestoreExperimentRequest, _) in
      try await engine.restoreExperiment(id: r.experimentID)
      return Mlops_Tracker_V1_RestoreExperimentResponse()
    }
    router.registerUnary(Methods.SetExperimentTag.self) { (r: Mlops_Tracker_V1_SetExperimentTagRequest, _) in
      try await engine.setExperimentTag(id: r.experimentID, key: r.key, value: r.value)
      return Mlops_Tracker_V1_SetExperimentTagResponse()
    }
  }
}
