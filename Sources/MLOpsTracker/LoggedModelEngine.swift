import Foundation
import MLOpsCore

/// The rules of logged models (MLflow 3's LoggedModel): created PENDING from an active run of
/// an active experiment, finalized READY or FAILED, tagged, searched by experiment, name and
/// run, deleted. Knows no protobuf.
public struct LoggedModelEngine: Sendable {
  /// Models per search page unless the caller asks for fewer.
  public static let defaultPageSize = 100
  static let maxPageSize = 1000

  let experiments: ExperimentRepository
  let runs: RunRepository
  let models: LoggedModelRepository
  let clock: @Sendable () -> Int64

  public init(
    experiments: ExperimentRepository, runs: RunRepository, models: LoggedModelRepository,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.experiments = experiments
    self.runs = runs
    self.models = models
    self.clock = clock
  }

  /// What CreateLoggedModel carries.
  public struct NewModel: Sendable {
    public var experimentID: String
    public var name: String
    public var sourceRunID: String
    public var modelType: String
    public var tags: [(String, String)]
    public var params: [(String, String)]

    public init(
      experimentID: String, name: String, sourceRunID: String, modelType: String, tags: [(String, String)], params: [(String, String)]
    ) {
      (self.experimentID, self.name, self.sourceRunID, self.modelType) = (experimentID, name, sourceRunID, modelType)
      (self.tags, self.params) = (tags, params)
    }
  }

  /// Creates a PENDING model; its files then go to the run's artifacts at its artifact path.
  public func create(_ new: NewModel) async throws -> LoggedModel {
    let experiment = try TrackerEngine.experimentNumber(new.experimentID)
    guard let found = try await experiments.experiment(id: experiment) else {
      throw TrackerError.experimentNotFound("with id \(experiment)")
    }
    guard found.lifecycle == .active else { throw TrackerError.failedPrecondition("experiment_id: experiment \(experiment) is deleted") }
    guard !new.sourceRunID.isEmpty else {
      throw TrackerError.invalidArgument(
        field: "source_run_id", reason: "must name the run the model is logged from (its files are that run's)")
    }
    guard let run = try await runs.run(id: new.sourceRunID) else { throw TrackerError.runNotFound(new.sourceRunID) }
    guard run.info.lifecycle == .active else { throw TrackerError.runDeleted(new.sourceRunID) }
    guard run.info.experimentID == experiment else {
      throw TrackerError.invalidArgument(
        field: "source_run_id", reason: "run '\(new.sourceRunID)' belongs to experiment \(run.info.experimentID), not \(experiment)")
    }
    let name = new.name.isEmpty ? "model" : new.name
    try TrackerEngine.validateKey(name, field: "name")
    let tags = try TrackerEngine.validateTags(new.tags, field: "tags")
    let params = try TrackerEngine.validateTags(new.params, field: "params")
    let now = clock()
    let model = LoggedModel(
      id: LoggedModel.newID(), experimentID: experiment, name: name, sourceRunID: new.sourceRunID, modelType: new.modelType,
      status: .pending, statusMessage: "", creationTime: now, lastUpdatedTime: now, tags: tags, params: params)
    try await models.create(model)
    return model
  }

  /// The model with `id`. - Throws: NOT_FOUND.
  public func model(id: String) async throws -> LoggedModel {
    guard let model = try await models.model(id: id) else { throw TrackerError.loggedModelNotFound(id) }
    return model
  }

  /// Marks the model READY or FAILED. - Throws: INVALID_ARGUMENT for another status.
  public func finalize(id: String, status: LoggedModel.Status, message: String) async throws -> LoggedModel {
    guard status != .pending else { throw TrackerError.invalidArgument(field: "status", reason: "must be READY or FAILED") }
    let now = clock()
    return try await change(id) { model in
      model.status = status
      model.statusMessage = message
      model.lastUpdatedTime = now
    }
  }

  /// Adds or replaces tags.
  public func setTags(id: String, _ tags: [(String, String)]) async throws -> LoggedModel {
    let tags = try TrackerEngine.validateTags(tags, field: "tags")
    let now = clock()
    return try await change(id) { model in
      model.tags.merge(tags) { _, new in new }
      model.lastUpdatedTime = now
    }
  }

  /// Deletes the model. - Throws: NOT_FOUND.
  public func delete(id: String) async throws {
    guard try await models.delete(id: id) else { throw TrackerError.loggedModelNotFound(id) }
  }

  private func change(_ id: String, _ body: @escaping @Sendable (inout LoggedModel) throws -> Void) async throws -> LoggedModel {
    guard let model = try await models.modify(id: id, body) else { throw TrackerError.loggedModelNotFound(id) }
    return model
  }
}
