/// A registered model as stored: the aggregate root that versions, tags and aliases belong to.
public struct RegisteredModelRecord: Codable, Sendable, Equatable {
  public var name: String
  public var description: String
  public var creationTime: Int64
  public var lastUpdatedTime: Int64
  public var tags: [String: String]
  /// alias → version; an alias names exactly one version.
  public var aliases: [String: Int64]
  /// The highest version number ever given, so a deleted version's number is never reused.
  public var highestVersion: Int64

  public init(name: String, description: String, creationTime: Int64, tags: [String: String]) {
    self.name = name
    self.description = description
    self.creationTime = creationTime
    self.lastUpdatedTime = creationTime
    self.tags = tags
    self.aliases = [:]
    self.highestVersion = 0
  }
}

/// MLflow's stages.
public enum Stage: Int, Codable, Sendable, CaseIterable {
  case none = 0, staging = 1, production = 2, archived = 3

  public var name: String { ["None", "Staging", "Production", "Archived"][rawValue] }
}

/// Where a version is in its registration.
public enum VersionStatus: Int, Codable, Sendable {
  case pendingRegistration = 1, failedRegistration = 2, ready = 3
}

public enum ReviewDecision: Int, Codable, Sendable {
  case approve = 1, reject = 2
}

/// The summary of a version's reviews.
public enum ReviewState: Int, Codable, Sendable {
  case pending = 0, approved = 1, rejected = 2
}

/// One reviewer's decision.
public struct Review: Codable, Sendable, Equatable {
  public var reviewer: String
  public var decision: ReviewDecision
  public var comment: String
  public var time: Int64
}

/// One named, typed column of a signature; `type` is the wire's ValueType number.
public struct SignatureColumn: Codable, Sendable, Equatable {
  public var name: String
  public var type: Int
  public var shape: [Int64]
  public var nullable: Bool
  public var description: String

  public init(name: String, type: Int, shape: [Int64] = [], nullable: Bool = false, description: String = "") {
    self.name = name
    self.type = type
    self.shape = shape
    self.nullable = nullable
    self.description = description
  }
}

public struct Signature: Codable, Sendable, Equatable {
  public var inputs: [SignatureColumn]
  public var outputs: [SignatureColumn]

  public init(inputs: [SignatureColumn], outputs: [SignatureColumn]) {
    self.inputs = inputs
    self.outputs = outputs
  }
}

/// A model version as stored, with everything GetModelVersion shows except its aliases
/// (those live on the model).
public struct ModelVersionRecord: Codable, Sendable, Equatable {
  public var version: Int64
  public var creationTime: Int64
  public var lastUpdatedTime: Int64
  public var description: String
  public var runID: String
  public var format: String
  public var stage: Stage
  public var status: VersionStatus
  public var statusMessage: String
  public var contentDigest: String
  public var sizeBytes: Int64
  public var signature: Signature
  public var tags: [String: String]
  public var runMetrics: [String: Double]
  public var runParams: [String: String]
  public var reviews: [Review]
  public var createdBy: String
  public var remoteEndpoint: String
  /// Format "mlflow": the MLflow model URI the version names; nil for other formats (and for
  /// documents stored before the field existed).
  public var source: String? = nil

  /// REJECTED if any reviewer's latest decision rejects, APPROVED if one approves and none
  /// rejects, PENDING otherwise.
  public var reviewState: ReviewState {
    var latest: [String: ReviewDecision] = [:]
    for review in reviews.sorted(by: { $0.time < $1.time }) { latest[review.reviewer] = review.decision }
    if latest.values.contains(.reject) { return .rejected }
    return latest.values.contains(.approve) ? .approved : .pending
  }
}

/// A model with all its versions: what a mutation loads, changes and stores in one
/// transaction, so version numbers, aliases and stages stay consistent under concurrency.
public struct ModelAggregate: Sendable, Equatable {
  public var model: RegisteredModelRecord
  public var versions: [Int64: ModelVersionRecord]

  public init(model: RegisteredModelRecord, versions: [Int64: ModelVersionRecord]) {
    self.model = model
    self.versions = versions
  }

  /// The aliases pointing at `version`, sorted.
  public func aliases(of version: Int64) -> [String] {
    model.aliases.filter { $0.value == version }.map(\.key).sorted()
  }
}
