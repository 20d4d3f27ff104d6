import MLOpsRuntime

/// A deployment ready to answer: its stored definition, its rollout, and for each serving
/// variant the loaded model. Immutable, swapped whole on every change (an update, a rollout
/// step), so a prediction that started on one state finishes on it.
public struct LiveDeployment: Sendable {
  /// One serving variant with the model it runs.
  public struct Variant: Sendable {
    public let name: String
    public let role: DeploymentDefinition.Role
    public let model: any Predictor
    public let resolved: ResolvedModel
    /// How long its model takes per row, which decides whether a call may run it inline.
    public let budget = InlineBudget()
  }

  public let definition: DeploymentDefinition
  /// The variants that answer.
  public let variants: [Variant]
  /// The variants that only see mirrored copies.
  public let shadows: [Variant]
  public let rollout: RolloutState
  let split: TrafficSplit
  /// Answers already given by this generation, when the deployment caches them.
  let cache: ResponseCache?

  /// - Parameters:
  ///   - variants: every loaded variant, shadows included.
  ///   - cache: the generation's response cache (kept across rollout steps by ``with(_:)``).
  init(definition: DeploymentDefinition, variants: [Variant], rollout: RolloutState, cache: ResponseCache? = nil) {
    self.definition = definition
    self.cache = cache
    self.variants = variants.filter { $0.role != .shadow }
    self.shadows = variants.filter { $0.role == .shadow }
    self.rollout = rollout
    self.split = TrafficSplit(weights: Self.weights(definition, variants: self.variants, rollout: rollout))
  }

  /// Each variant's share: its weight under A/B, all to the primary under SINGLE, and under
  /// CANARY the rollout's canary weight while it progresses or pauses (none once rolled back).
  static func weights(_ d: DeploymentDefinition, variants: [Variant], rollout: RolloutState) -> [Double] {
    switch d.strategy {
    case .single: return variants.map { _ in 100 }
    case .ab: return variants.map { v in d.variants.first { $0.name == v.name }?.weight ?? 0 }
    case .canary:
      let live = rollout.phase == .progressing || rollout.phase == .paused
      let canary = live ? rollout.canaryWeight : 0
      return variants.map { $0.role == .canary ? canary : 100 - canary }
    }
  }

  /// The primary variant (the first one that is not a canary).
  var primary: Variant { variants.first { $0.role != .canary } ?? variants[0] }

  /// The same deployment under another rollout state.
  func with(_ rollout: RolloutState) -> LiveDeployment {
    LiveDeployment(definition: definition, variants: variants + shadows, rollout: rollout, cache: cache)
  }

  /// The variant for a request: the one named by the override header, else the split's
  /// choice for the routing key.
  func route(routingKey: String, override: String?) throws -> Variant {
    if let override, !override.isEmpty {
      guard let forced = variants.first(where: { $0.name == override }) else {
        throw ServingError.invalidArgument(
          field: definition.effectiveOverrideHeader,
          reason: "deployment '\(definition.name)' has no variant '\(override)' (it has \(variants.map(\.name).joined(separator: ", ")))")
      }
      return forced
    }
    return variants[split.index(forKey: routingKey)]
  }
}
