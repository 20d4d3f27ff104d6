/// Where a deployment's canary rollout stands, persisted on every decision so a restarted
/// router resumes at the same step. Stable deployments (SINGLE, A/B, or a canary deployment
/// without a canary) have no stored rollout and read as ``Phase/stable``.
public struct RolloutState: Codable, Sendable, Equatable {
  public enum Phase: Int, Codable, Sendable {
    case stable = 1, progressing = 2, paused = 3, promoted = 4, rolledBack = 5

    /// Whether the rollout is over (WatchRollout ends).
    public var isFinal: Bool { self == .promoted || self == .rolledBack || self == .stable }
  }

  /// One variant's figures over the interval last judged.
  public struct Analysis: Codable, Sendable, Equatable {
    public var variant: String
    public var requests: Int64
    public var errors: Int64
    public var latencyP50Milliseconds: Double
    public var latencyP99Milliseconds: Double
    /// Shadows: the share of mirrored rows that agreed with the primary, and copies dropped.
    public var agreementRate: Double = 0
    public var dropped: Int64 = 0
    /// Canaries judged with the monitor: open alerts raised during the interval.
    public var openAlerts: Int64 = 0

    public init(
      variant: String, requests: Int64 = 0, errors: Int64 = 0, latencyP50Milliseconds: Double = 0, latencyP99Milliseconds: Double = 0
    ) {
      self.variant = variant
      self.requests = requests
      self.errors = errors
      self.latencyP50Milliseconds = latencyP50Milliseconds
      self.latencyP99Milliseconds = latencyP99Milliseconds
    }

    /// Errors over requests; 0 without requests.
    public var errorRate: Double { requests == 0 ? 0 : Double(errors) / Double(requests) }
  }

  public var deployment: String
  public var phase: Phase
  /// Index into the policy's step weights; -1 when no step is running.
  public var step: Int
  public var canaryWeight: Double
  public var failedChecks: Int
  public var analysis: [Analysis]
  /// Why the rollout is where it is, for people ("check 2 failed: error rate 0.40 > 0.05").
  public var message: String
  public var updatedTime: Int64
  /// The deployment generation this rollout belongs to; a newer generation restarts it.
  public var generation: Int64
  /// When the current step began (epoch milliseconds): monitor alerts raised since count
  /// against the canary.
  public var stepStartedTime: Int64?

  public init(
    deployment: String, phase: Phase, step: Int = -1, canaryWeight: Double = 0, failedChecks: Int = 0, analysis: [Analysis] = [],
    message: String = "", updatedTime: Int64 = 0, generation: Int64 = 0, stepStartedTime: Int64? = nil
  ) {
    self.stepStartedTime = stepStartedTime
    self.deployment = deployment
    self.phase = phase
    self.step = step
    self.canaryWeight = canaryWeight
    self.failedChecks = failedChecks
    self.analysis = analysis
    self.message = message
    self.updatedTime = updatedTime
    self.generation = generation
  }

  /// The state of a deployment that has no rollout.
  static func stable(_ d: DeploymentDefinition) -> RolloutState {
    let message =
      switch d.strategy {
      case .single: "no rollout in progress: the primary serves all traffic"
      case .ab: "no rollout in progress: traffic is split by weight"
      case .canary: "no rollout in progress: the primary serves all traffic (add a canary variant to start one)"
      }
    return RolloutState(deployment: d.name, phase: .stable, message: message, updatedTime: d.updatedTime, generation: d.generation)
  }

  /// The first step of a rollout of `d`'s canary.
  static func started(_ d: DeploymentDefinition, policy: DeploymentDefinition.CanaryPolicy, at time: Int64) -> RolloutState {
    RolloutState(
      deployment: d.name, phase: .progressing, step: 0, canaryWeight: policy.stepWeights[0],
      message: "step 1 of \(policy.stepWeights.count): canary at \(policy.stepWeights[0])%", updatedTime: time, generation: d.generation,
      stepStartedTime: time)
  }
}
