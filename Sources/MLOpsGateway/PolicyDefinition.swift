/// A deployment policy as the gateway's rules see it: what a version must be before it may
/// serve a deployment, and how a deployment may change. Stored as JSON per scope (a deployment
/// name, or "default" for deployments without their own).
public struct PolicyDefinition: Codable, Sendable, Equatable {
  /// One "metric op value" rule on the version's source run.
  public struct Threshold: Codable, Sendable, Equatable {
    public var metric: String
    public var op: String
    public var value: Double

    public init(metric: String, op: String, value: Double) {
      self.metric = metric
      self.op = op
      self.value = value
    }

    /// Whether `actual` passes.
    func passes(_ actual: Double) -> Bool {
      switch op {
      case ">": actual > value
      case ">=": actual >= value
      case "<": actual < value
      case "<=": actual <= value
      default: false
      }
    }
  }

  public static let defaultScope = "default"

  public var scope: String
  /// "None", "Staging", "Production" or "Archived"; empty: any stage.
  public var requiredStage: String
  public var requiredApprovals: Int
  public var requireSignature: Bool
  public var thresholds: [Threshold]
  public var requireReferenceProfile: Bool
  public var requireCanary: Bool
  /// Largest rise of a canary's weight between steps, in percent; 0: any.
  public var maxCanaryStep: Double
  public var updatedTime: Int64
  public var updatedBy: String

  public init(
    scope: String, requiredStage: String = "", requiredApprovals: Int = 0, requireSignature: Bool = false, thresholds: [Threshold] = [],
    requireReferenceProfile: Bool = false, requireCanary: Bool = false, maxCanaryStep: Double = 0, updatedTime: Int64 = 0,
    updatedBy: String = ""
  ) {
    self.scope = scope
    self.requiredStage = requiredStage
    self.requiredApprovals = requiredApprovals
    self.requireSignature = requireSignature
    self.thresholds = thresholds
    self.requireReferenceProfile = requireReferenceProfile
    self.requireCanary = requireCanary
    self.maxCanaryStep = maxCanaryStep
    self.updatedTime = updatedTime
    self.updatedBy = updatedBy
  }

  static let stages = ["None", "Staging", "Production", "Archived"]

  /// Checks the definition.
  /// - Throws: INVALID_ARGUMENT naming the first bad field.
  public func validate() throws {
    guard !scope.isEmpty, scope.utf8.count <= 128 else {
      throw GatewayError.invalidArgument(field: "policy.scope", reason: "must be a deployment name or \"default\"")
    }
    guard requiredStage.isEmpty || Self.stages.contains(requiredStage) else {
      throw GatewayError.invalidArgument(
        field: "policy.required_stage", reason: "'\(requiredStage)' is not one of \(Self.stages.joined(separator: ", "))")
    }
    guard (0...100).contains(requiredApprovals) else {
      throw GatewayError.invalidArgument(field: "policy.required_approvals", reason: "must be between 0 and 100")
    }
    guard thresholds.count <= 100 else { throw GatewayError.invalidArgument(field: "policy.metric_thresholds", reason: "at most 100") }
    for (index, threshold) in thresholds.enumerated() {
      let field = "policy.metric_thresholds[\(index)]"
      guard !threshold.metric.isEmpty, threshold.metric.utf8.count <= 250 else {
        throw GatewayError.invalidArgument(field: "\(field).metric", reason: "must name a metric")
      }
      guard [">", ">=", "<", "<="].contains(threshold.op) else {
        throw GatewayError.invalidArgument(field: "\(field).op", reason: "must be >, >=, < or <=")
      }
      guard threshold.value.isFinite else { throw GatewayError.invalidArgument(field: "\(field).value", reason: "must be a finite number") }
    }
    guard maxCanaryStep.isFinite, (0...100).contains(maxCanaryStep) else {
      throw GatewayError.invalidArgument(field: "policy.max_canary_step", reason: "must be a percentage between 0 and 100")
    }
  }
}
