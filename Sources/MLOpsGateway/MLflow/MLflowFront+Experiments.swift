import GRPCCore
import Hummingbird
import MLOpsProto

/// MLflow's experiment endpoints on the tracker's experiment RPCs.
extension MLflowFront {
  typealias Tracker = Mlops_Tracker_V1_TrackerService.Method

  struct ExperimentID: Encodable, Sendable { let experimentId: String }
  struct ExperimentAnswer: Encodable, Sendable { let experiment: MLflowEntities.Experiment }
  struct ExperimentPage: Encodable, Sendable {
    let experiments: [MLflowEntities.Experiment]
    let nextPageToken: String?
  }

  func addExperimentRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/experiments/create", rpc: Tracker.CreateExperiment.descriptor) { call in
      let created = try await trackerClient.createExperiment(
        .with {
          $0.name = try call.params.required("name")
          $0.artifactLocation = try call.params.string("artifact_location")
          $0.tags = try call.params.tags("tags").map { tag in
            .with {
              $0.key = tag.key
              $0.value = tag.value
            }
          }
        }, metadata: call.metadata, options: call.options)
      return ExperimentID(experimentId: created.experiment.experimentID)
    }
    endpoint(router, [.get, .post], "/experiments/get", rpc: Tracker.GetExperiment.descriptor) { call in
      let id = try await experimentID(try call.params.required("experiment_id"), call, create: false)
      let found = try await trackerClient.getExperiment(.with { $0.experimentID = id }, metadata: call.metadata, options: call.options)
      return ExperimentAnswer(experiment: MLflowEntities.experiment(found.experiment))
    }
    endpoint(router, [.get, .post], "/experiments/get-by-name", rpc: Tracker.GetExperimentByName.descriptor) { call in
      let found = try await trackerClient.getExperimentByName(
        .with { $0.name = try call.params.required("experiment_name") }, metadata: call.metadata, options: call.options)
      return ExperimentAnswer(experiment: MLflowEntities.experiment(found.experiment))
    }
    endpoint(router, [.get, .post], "/experiments/search", rpc: Tracker.SearchExperiments.descriptor) { call in
      let page = try await trackerClient.searchExperiments(
        .with {
          $0.filter = try call.params.string("filter")
          $0.orderBy = try call.params.strings("order_by")
          $0.maxResults = Int32(clamping: try call.params.int("max_results") ?? 1000)
          $0.pageToken = try call.params.string("page_token")
          $0.viewType = try MLflowEntities.viewType(try call.params.string("view_type"), field: "view_type")
        }, metadata: call.metadata, options: call.options)
      return ExperimentPage(
        experiments: page.experiments.map(MLflowEntities.experiment), nextPageToken: page.nextPageToken.isEmpty ? nil : page.nextPageToken)
    }
    addExperimentChangeRoutes(to: router)
  }

  private func addExperimentChangeRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/experiments/update", rpc: Tracker.UpdateExperiment.descriptor) { call in
      let id = try await experimentID(try call.params.required("experiment_id"), call, create: false)
      _ = try await trackerClient.updateExperiment(
        .with {
          $0.experimentID = id
          $0.newName = try call.params.string("new_name")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/experiments/delete", rpc: Tracker.DeleteExperiment.descriptor) { call in
      let id = try await experimentID(try call.params.required("experiment_id"), call, create: false)
      _ = try await trackerClient.deleteExperiment(.with { $0.experimentID = id }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/experiments/restore", rpc: Tracker.RestoreExperiment.descriptor) { call in
      let id = try await experimentID(try call.params.required("experiment_id"), call, create: false)
      _ = try await trackerClient.restoreExperiment(.with { $0.experimentID = id }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/experiments/set-experiment-tag", rpc: Tracker.SetExperimentTag.descriptor) { call in
      let id = try await experimentID(try call.params.required("experiment_id"), call, create: false)
      _ = try await trackerClient.setExperimentTag(
        .with {
          $0.experimentID = id
          $0.key = try call.params.required("key")
          $0.value = try call.params.string("value")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
  }

  /// The tracker's id for an MLflow experiment id. MLflow's id "0" is its default experiment,
  /// which the tracker keeps by name (``defaultExperiment``); `create` makes it on first use,
  /// as MLflow's server has it from the start.
  func experimentID(_ id: String, _ call: Call, create: Bool) async throws -> String {
    guard id == "0" else { return id }
    do {
      return try await trackerClient.getExperimentByName(
        .with { $0.name = Self.defaultExperiment }, metadata: call.metadata, options: call.options
      ).experiment.experimentID
    } catch let error as RPCError where error.code == .notFound && create {
      do {
        return try await trackerClient.createExperiment(
          .with { $0.name = Self.defaultExperiment }, metadata: call.metadata, options: call.options
        ).experiment.experimentID
      } catch let error as RPCError where error.code == .alreadyExists {
        return try await experimentID(id, call, create: false)
      }
    }
  }
}
