/// What the policy needs to know about a registered version.
public struct VersionFacts: Sendable, Equatable {
  public var name: String
  public var version: Int64
  public var stage: String
  /// Distinct reviewers whose latest decision approves.
  public var approvals: Set<String>
  /// Reviewers whose latest decision rejects.
  public var rejections: Set<String>
  public var hasSignature: Bool
  public var runID: String

  public init(
    name: String, version: Int64, stage: String, approvals: Set<String>, rejections: Set<String>, hasSignature: Bool, runID: String
  ) {
    self.name = name
    self.version = version
    self.stage = stage
    self.approvals = approvals
    self.rejections = rejections
    self.hasSignature = hasSignature
    self.runID = runID
  }
}

/// A model reference as a deployment names it: a version, or an alias.
public struct ModelChoice: Sendable, Equatable {
  public var variant: String
  public var modelName: String
  public var version: Int64?
  public var alias: String?

  public init(variant: String, modelName: String, version: Int64? = nil, alias: String? = nil) {
    self.variant = variant
    self.modelName = modelName
    self.version = version
    self.alias = alias
  }
}

/// A deployment as the policy sees it: its strategy, its answering variants' models and its
/// canary steps.
public struct DeploymentFacts: Sendable, Equatable {
  public var name: String
  public var canaryStrategy: Bool
  /// Non-shadow variants; the primary first.
  public var primary: ModelChoice?
  public var canary: ModelChoice?
  public var others: [ModelChoice]
  public var stepWeights: [Double]

  public var answering: [ModelChoice] { [primary, canary].compactMap { $0 } + others }
}

/// The platform's state the policy reads, from the services that own it (registry, tracker,
/// monitor, router), over gRPC.
public protocol PlatformFacts: Sendable {
  /// The version a choice names now. NOT_FOUND-like problems are FAILED_PRECONDITION rule
  /// failures; a peer that cannot answer throws UNAVAILABLE naming it.
  func version(_ choice: ModelChoice) async throws -> VersionFacts?
  /// The latest metrics of a tracker run.
  func runMetrics(_ runID: String) async throws -> [String: Double]
  /// Whether a monitor with a reference profile watches the deployment.
  func hasReferenceProfile(deployment: String) async throws -> Bool
  /// The deployment as the router serves it now; nil when there is none.
  func deployment(_ name: String) async throws -> DeploymentFacts?
  /// Deployments with a variant that follows `alias` of `model`.
  func deploymentsFollowing(model: String, alias: String) async throws -> [DeploymentFacts]
}
