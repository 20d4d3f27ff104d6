import MLOpsRuntime

/// A deployment ready to answer: its stored definition and, for each serving variant, the
/// loaded model. Immutable, swapped whole on update, so a prediction that started on one
/// generation finishes on it.
public struct LiveDeployment: Sendable {
  /// One serving variant with the model it runs.
  public struct Variant: Sendable {
    public let name: String
    public let model: Model
    public let resolved: ResolvedModel
  }

  public let definition: DeploymentDefinition
  public let variants: [Variant]
  let split: TrafficSplit

  init(definition: DeploymentDefinition, variants: [Variant]) {
    self.definition = definition
    self.variants = variants
    let weights = variants.map { variant in definition.variants.first { $0.name == variant.name }?.weight ?? 0 }
    self.split = TrafficSplit(weights: weights)
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
