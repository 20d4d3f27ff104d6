import Foundation
import MLOpsRuntime

/// Loading a deployment's models, and running them.
extension RouterEngine {
  /// What a prediction answered and who answered it.
  public struct Prediction: Sendable {
    public var variant: String
    public var model: ResolvedModel
    public var rows: [[String: Cell]]
  }

  /// Resolves each serving variant's selector (aliases to numbers) and loads its model.
  /// With `resolving` false the stored resolved versions are loaded as they are, from the
  /// disk cache when it has them (a restart serves what was serving, whatever an alias says
  /// now, and without the registry).
  func load(_ definition: DeploymentDefinition, field: String, resolving: Bool = true) async throws
    -> (definition: DeploymentDefinition, variants: [LiveDeployment.Variant])
  {
    var definition = definition
    var loaded: [LiveDeployment.Variant] = []
    for index in definition.variants.indices where definition.variants[index].role != .shadow {
      let variant = definition.variants[index]
      let at = "\(field).variants[\(index)]"
      let resolved: ResolvedModel
      if !resolving, variant.resolvedVersion > 0, !variant.resolvedDigest.isEmpty {
        resolved = ResolvedModel(name: variant.model.modelName, version: variant.resolvedVersion, digest: variant.resolvedDigest)
      } else {
        resolved = try await cache.source.resolve(variant.model, field: "\(at).model")
      }
      let started = ContinuousClock.now
      let model = try await cache.model(for: resolved, field: "\(at).model")
      metrics.loaded(seconds: ContinuousClock.now - started)
      definition.variants[index].resolvedVersion = resolved.version
      definition.variants[index].resolvedDigest = resolved.digest
      loaded.append(.init(name: variant.name, model: model, resolved: resolved))
    }
    return (definition, loaded)
  }

  /// Routes one request and runs the chosen variant's model on every row as one batch.
  public func predict(deployment name: String, rows: [[String: Cell]], routingKey: String, override: String?) async throws -> Prediction {
    let deployment = try await serving(name)
    let variant = try deployment.route(routingKey: routingKey, override: override)
    let feeds = try PredictionFeeds.make(for: variant.model, rows: rows, field: "instances")
    let outputs = try run(variant, feeds: feeds, deployment: name)
    return Prediction(
      variant: variant.name, model: variant.resolved,
      rows: PredictionOutputs.rows(outputs, order: variant.model.outputs, count: rows.count))
  }

  /// Routes one Open Inference Protocol request; `feeds` builds the chosen variant's input
  /// tensors (each variant's model may type them differently).
  public func infer(
    deployment name: String, routingKey: String, override: String?, feeds: (Model) throws -> [String: Tensor]
  ) async throws -> (variant: LiveDeployment.Variant, outputs: [String: Value]) {
    let deployment = try await serving(name)
    let variant = try deployment.route(routingKey: routingKey, override: override)
    let inputs = try feeds(variant.model)
    for spec in variant.model.inputs where inputs[spec.name] == nil {
      throw ServingError.invalidArgument(field: "inputs", reason: "missing input '\(spec.name)' (\(PredictionFeeds.describe(spec)))")
    }
    return (variant, try run(variant, feeds: inputs, deployment: name))
  }

  /// The deployment's serving variant for metadata (the first one).
  public func primary(of name: String) async throws -> LiveDeployment.Variant {
    let deployment = try await serving(name)
    guard let first = deployment.variants.first else { throw ServingError.unavailable("deployment '\(name)' has no serving variant") }
    return first
  }

  private func run(_ variant: LiveDeployment.Variant, feeds: [String: Tensor], deployment: String) throws -> [String: Value] {
    do {
      let outputs = try variant.model.run(feeds)
      metrics.served(deployment: deployment, variant: variant.name, failed: false)
      return outputs
    } catch let error as ModelError {
      metrics.served(deployment: deployment, variant: variant.name, failed: true)
      if error.kind == .invalidInput { throw ServingError.invalidArgument(field: "inputs", reason: error.message) }
      throw ServingError.failedPrecondition(
        field: "deployment", reason: "variant '\(variant.name)' (\(variant.resolved.name) version \(variant.resolved.version)) failed: \(error)")
    }
  }
}
