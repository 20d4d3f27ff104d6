/// An experiment as the tracker's logic sees it: no generated types, so the engine and the
/// repositories can be tested and changed without touching the wire format.
public struct Experiment: Sendable, Equatable {
  /// Whether an experiment is visible by default (MLflow's lifecycle stage).
  public enum Lifecycle: Int, Sendable {
    case active = 0
    case deleted = 1
  }

  /// Numeric, as MLflow's; rendered as a decimal string on the wire.
  public var id: Int64
  public var name: String
  public var artifactLocation: String
  public var lifecycle: Lifecycle
  public var description: String
  /// Milliseconds since the Unix epoch, MLflow's resolution.
  public var creationTime: Int64
  public var lastUpdateTime: Int64
  public var tags: [String: String]

  public init(
    id: Int64, name: String, artifactLocation: String, lifecycle: Lifecycle,
    description: String, creationTime: Int64, lastUpdateTime: Int64, tags: [String: String]
  ) {
    self.id = id
    self.name = name
    self.artifactLocation = artifactLocation
    self.lifecycle = lifecycle
    self.description = description
    self.creationTime = creationTime
    self.lastUpdateTime = lastUpdateTime
    self.tags = tags
  }
}

/// What a caller supplies to create an experiment; the repository assigns id and times.
public struct NewExperiment: Sendable, Equatable {
  public var name: String
  /// Empty: the repository derives `mlops-artifacts:/<id>`.
  public var artifactLocation: String
  public var description: String
  public var tags: [String: String]
  public var creationTime: Int64

  public init(
    name: String, artifactLocation: String = "", description: String = "",
    tags: [String: String] = [:], creationTime: Int64
  ) {
    self.name = name
    self.artifactLocation = artifactLocation
    self.description = description
    self.tags = tags
    self.creationTime = creationTime
  }
}
