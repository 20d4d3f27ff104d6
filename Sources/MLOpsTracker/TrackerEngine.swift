import Foundation
import MLOpsCore

/// The tracker's rules, independent of the wire format: validation with MLflow's limits,
/// defaults, and the storage calls. ``TrackerService`` only converts to and from protobuf.
public struct TrackerEngine: Sendable {
  /// MLflow's limits, so data logged here can move to and from MLflow.
  public enum Limits {
    public static let experimentName = 500
    public static let tagKey = TagRules.keyLimit
    public static let tagValue = TagRules.valueLimit
    public static let tagsPerRequest = 100
    public static let metricsPerBatch = 1000
    public static let paramsPerBatch = 100
    public static let entriesPerBatch = 1000
    public static let paramValue = 6000
    public static let metricHistoryPage = 25_000
  }

  let experiments: ExperimentRepository
  let runs: RunRepository
  let clock: @Sendable () -> Int64

  /// - Parameter clock: milliseconds since the epoch; tests pass a fixed one.
  public init(
    experiments: ExperimentRepository, runs: RunRepository,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.experiments = experiments
    self.runs = runs
    self.clock = clock
  }

  public func createExperiment(
    name: String, artifactLocation: String, description: String, tags: [(String, String)]
  ) async throws -> Experiment {
    let name = name.trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty else {
      throw TrackerError.invalidArgument(field: "name", reason: "must not be empty")
    }
    guard name.count <= Limits.experimentName else {
      throw TrackerError.invalidArgument(
        field: "name", reason: "is \(name.count) characters, at most \(Limits.experimentName) allowed")
    }
    let tags = try Self.validateTags(tags, field: "tags")
    return try await experiments.create(
      NewExperiment(
        name: name, artifactLocation: artifactLocation, description: description, tags: tags,
        creationTime: clock()))
  }

  public func experiment(id: String) async throws -> Experiment {
    let number = try Self.experimentNumber(id)
    guard let experiment = try await experiments.experiment(id: number) else {
      throw TrackerError.experimentNotFound("with id \(id)")
    }
    return experiment
  }

  /// The stored key of an experiment id as clients send it (MLflow's ids are decimal strings).
  static func experimentNumber(_ id: String) throws -> Int64 {
    guard let number = Int64(id), number > 0 else {
      throw TrackerError.invalidArgument(
        field: "experiment_id", reason: "'\(id)' is not an experiment id (a positive integer)")
    }
    return number
  }

  public func experiment(named name: String) async throws -> Experiment {
    guard !name.isEmpty else {
      throw TrackerError.invalidArgument(field: "name", reason: "must not be empty")
    }
    guard let experiment = try await experiments.experiment(named: name) else {
      throw TrackerError.experimentNotFound("named '\(name)'")
    }
    return experiment
  }

  /// Checks keys and values against MLflow's limits (``TagRules``); the last value of a
  /// repeated key wins.
  static func validateTags(_ tags: [(String, String)], field: String) throws -> [String: String] {
    try TagRules.validate(tags, field: field, maxCount: Limits.tagsPerRequest) { TrackerError.invalidArgument(field: $0, reason: $1) }
  }
}
