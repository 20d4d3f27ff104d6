import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops.tracker.v1.TrackerService` on the wire: converts protobuf ⇄ domain and calls the
/// engines (``TrackerEngine`` for experiments and runs, ``ArtifactEngine`` for artifacts,
/// ``LoggedModelEngine`` for logged models).
public struct TrackerService: RegistrableRPCService {
  typealias Methods = Mlops_Tracker_V1_TrackerService.Method
  let engine: TrackerEngine
  let artifacts: ArtifactEngine
  let models: LoggedModelEngine

  public init(engine: TrackerEngine, artifacts: ArtifactEngine, models: LoggedModelEngine) {
    self.engine = engine
    self.artifacts = artifacts
    self.models = models
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    registerExperimentMethods(with: &router)
    registerRunMethods(with: &router)
    registerArtifactMethods(with: &router)
    registerLoggedModelMethods(with: &router)
    let engine = self.engine
    router.registerUnary(Methods.CreateExperiment.self) {
      (request: Mlops_Tracker_V1_CreateExperimentRequest, _) in
      let experiment = try await engine.createExperiment(
        name: request.name, artifactLocation: request.artifactLocation,
        description: request.description_p, tags: request.tags.map { ($0.key, $0.value) })
      return Mlops_Tracker_V1_CreateExperimentResponse.with { $0.experiment = .init(experiment) }
    }
    router.registerUnary(Methods.GetExperiment.self) {
      (request: Mlops_Tracker_V1_GetExperimentRequest, _) in
      let experiment = try await engine.experiment(id: request.experimentID)
      return Mlops_Tracker_V1_GetExperimentResponse.with { $0.experiment = .init(experiment) }
    }
    router.registerUnary(Methods.GetExperimentByName.self) {
      (request: Mlops_Tracker_V1_GetExperimentByNameRequest, _) in
      let experiment = try await engine.experiment(named: request.name)
      return Mlops_Tracker_V1_GetExperimentResponse.with { $0.experiment = .init(experiment) }
    }
  }
}

extension Mlops_Tracker_V1_Experiment {
  init(_ experiment: Experiment) {
    self.init()
    experimentID = String(experiment.id)
    name = experiment.name
    artifactLocation = experiment.artifactLocation
    lifecycleStage = experiment.lifecycle == .active ? .active : .deleted
    description_p = experiment.description
    creationTime = .init(milliseconds: experiment.creationTime)
    lastUpdateTime = .init(milliseconds: experiment.lastUpdateTime)
    tags = Mlops_Common_V1_Tag.inKeyOrder(experiment.tags)
  }
}
