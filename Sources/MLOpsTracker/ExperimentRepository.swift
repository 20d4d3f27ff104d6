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
}

extension Experiment {
  /// The artifact location an experiment gets when the caller names none.
  public static func defaultArtifactLocation(id: Int64) -> String {
    "mlops-artifacts:/\(id)"
  }
}
