/// Storage of experiments. One protocol, a SQLite and a PostgreSQL implementation, both held to
/// the same behaviour by the shared suite in `Tests/MLOpsTrackerTests`.
public protocol ExperimentRepository: Sendable {
  /// Inserts the experiment and its tags atomically.
  /// - Throws: ``TrackerError/experimentNameTaken(_:)`` when the name exists (deleted too).
  func create(_ experiment: NewExperiment) async throws -> Experiment
  /// The experiment with this id, deleted ones included; nil when there is none.
  func experiment(id: Int64) async throws -> Experiment?
  /// The experiment with this exact name, deleted ones included; nil when there is none.
  func experiment(named name: String) async throws -> Experiment?
  /// Experiments matching the search in its order, each with its sort values.
  func search(_ search: ExperimentSearch) async throws -> [(experiment: Experiment, sortValues: [RunSearch.SortValue])]
  /// Renames and/or re-describes. - Throws: `experimentNotFound`, `failedPrecondition` (deleted),
  /// `experimentNameTaken`.
  func update(id: Int64, name: String?, description: String?, time: Int64) async throws -> Experiment
  /// Soft delete or restore, with the experiment's runs. - Throws: `experimentNotFound`,
  /// `failedPrecondition` when it is already in that state.
  func setLifecycle(id: Int64, _ lifecycle: Experiment.Lifecycle, time: Int64) async throws
  /// Last write wins. - Throws: `experimentNotFound`, `failedPrecondition` (deleted).
  func setTag(id: Int64, key: String, value: String, time: Int64) async throws
}

extension Experiment {
  /// The artifact location an experiment gets when the caller names none.
  public static func defaultArtifactLocation(id: Int64) -> String {
    "mlops-artifacts:/\(id)"
  }
}
