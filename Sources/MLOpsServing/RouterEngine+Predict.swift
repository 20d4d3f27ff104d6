import Foundation
import MLOpsCore
import MLOpsRuntime

/// Loading a deployment's models, and running them.
extension RouterEngine {
  /// What a prediction answered and who answered it.
  public struct Prediction: Sendable {
    public var variant: String
    public var model: ResolvedModel
    public var rows: [[String: Cell]]
    /// Whether the deployment's response cache answered (the model did not run).
    public var cached: Bool
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
    for index in definition.variants.indices {
      let variant = definition.variants[index]
      let at = "\(field).variants[\(index)]"
      if !variant.remoteEndpoint.isEmpty {
        let remote = try await RemotePredictor.load(
          endpoint: variant.remoteEndpoint, modelName: variant.model.modelName, version: variant.model.version, backends: remotes,
          field: at)
        let resolved = ResolvedModel(name: variant.model.modelName, version: variant.model.version ?? 0, digest: "")
        definition.variants[index].resolvedVersion = resolved.version
        loaded.append(.init(name: variant.name, role: variant.role, model: remote, resolved: resolved))
        continue
      }
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
      loaded.append(.init(name: variant.name, role: variant.role, model: model, resolved: resolved))
    }
    return (definition, loaded)
  }

  /// Routes one request and runs the chosen variant's model on every row as one batch.
  /// `entities` holds each row's entity key (empty: none); rows with one are enriched first.
  /// `header` reads a request header by name: the deployment names the one that forces a
  /// variant, and the deployment is looked up once, here.
  public func predict(
    deployment name: String, rows: [[String: Cell]], entities: [[String: Cell]] = [], routingKey: String,
    header: (String) -> String? = { _ in nil }, requestID: String
  ) async throws -> Prediction {
    let started = ContinuousClock.now
    let deployment = try await serving(name)
    let key = deployment.definition.routingKey(routingKey, rows: rows, entities: entities)
    let rows = try await enriched(rows, entities: entities, definition: deployment.definition)
    let variant = try deployment.route(routingKey: key, override: header(deployment.definition.effectiveOverrideHeader))
    let run = try await attributed(deployment, variant, started: started) {
      try PredictionFeeds.make(for: $0, rows: rows, field: "instances")
    }
    let answered = PredictionOutputs.rows(run.outputs, order: variant.model.outputs, count: rows.count)
    sample(deployment, variant, requestID: requestID, started: started) { (rows, answered) }
    if !run.cached {
      mirror(deployment, primaryRows: answered) { model in try PredictionFeeds.make(for: model, rows: rows, field: "instances") }
    }
    return Prediction(variant: variant.name, model: variant.resolved, rows: answered, cached: run.cached)
  }

  /// Routes one Open Inference Protocol request; `feeds` builds the chosen variant's input
  /// tensors (each variant's model may type them differently). `parameters` are the
  /// request's string parameters, which carry `routing_key` or the deployment's sticky field;
  /// `header` reads a request header by name (the override header).
  public func infer(
    deployment name: String, parameters: [String: String], header: (String) -> String? = { _ in nil }, requestID: String,
    feeds: @escaping @Sendable (any Predictor) throws -> [String: Tensor]
  ) async throws -> (variant: LiveDeployment.Variant, outputs: [String: Value], cached: Bool) {
    let started = ContinuousClock.now
    let deployment = try await serving(name)
    let key = deployment.definition.stickyKey.flatMap { parameters[$0] } ?? parameters["routing_key"] ?? ""
    let variant = try deployment.route(routingKey: key, override: header(deployment.definition.effectiveOverrideHeader))
    var fed: [String: Tensor] = [:]
    let run = try await attributed(deployment, variant, started: started) { model in
      let inputs = try feeds(model)
      for spec in model.inputs where inputs[spec.name] == nil {
        throw ServingError.invalidArgument(field: "inputs", reason: "missing input '\(spec.name)' (\(PredictionFeeds.describe(spec)))")
      }
      fed = inputs
      return inputs
    }
    let count = fed.values.first?.shape.first ?? 1
    let answered = { PredictionOutputs.rows(run.outputs, order: variant.model.outputs, count: count) }
    sample(deployment, variant, requestID: requestID, started: started) {
      (PredictionOutputs.rows(fed.mapValues(Value.tensor), order: variant.model.inputs, count: count), answered())
    }
    if !run.cached, !deployment.shadows.isEmpty { mirror(deployment, primaryRows: answered(), feeds) }
    return (variant, run.outputs, run.cached)
  }

  /// The deployment's primary variant, whose model describes it (ModelMetadata).
  public func primary(of name: String) async throws -> LiveDeployment.Variant {
    try await serving(name).primary
  }

  /// Runs `variant` on the feeds `make` builds for its model — or answers from the
  /// deployment's response cache, which neither a rollout's analysis nor a shadow sees — and
  /// records the outcome for the rollout's analysis. A refusal counts against the variant — and reaches the caller as
  /// FAILED_PRECONDITION, not as the caller's mistake — when the primary accepts the same
  /// request: a canary that cannot run what the deployment's signature takes is failing.
  private func attributed(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant,
    _ make: (any Predictor) throws -> [String: Tensor]
  ) async throws -> (outputs: [String: Value], cached: Bool) {
    let name = deployment.definition.name
    func record(failed: Bool) {
      // Only a progressing rollout's analysis reads the figures; other deployments keep none.
      if deployment.rollout.phase == .progressing {
        stats.record(deployment: name, variant: variant.name, milliseconds: (ContinuousClock.now - started).milliseconds, failed: failed)
      }
      metrics.served(deployment: name, variant: variant.name, failed: failed)
    }
    do {
      let inputs = try make(variant.model)
      let cached = deployment.cache.map { cache in (cache, ResponseCache.key(variant: variant, inputs: inputs)) }
      if let (cache, key) = cached, let hit = cache.answer(for: key) {
        metrics.served(deployment: name, variant: variant.name, failed: false)
        return (hit, true)
      }
      let outputs = try await variant.model.predict(inputs)
      record(failed: false)
      if let (cache, key) = cached { cache.store(outputs, for: key) }
      return (outputs, false)
    } catch {
      let refusal = error as? ServingError
      let callerFault = (refusal?.rpcErrorCode == .invalidArgument || (error as? ModelError)?.kind == .invalidInput)
      let primary = deployment.primary
      if callerFault, variant.name == primary.name || (try? make(primary.model)) == nil {
        if let modelError = error as? ModelError { throw ServingError.invalidArgument(field: "inputs", reason: modelError.message) }
        throw error
      }
      record(failed: true)
      let reason = refusal?.rpcErrorMessage ?? "\(error)"
      throw ServingError.failedPrecondition(
        field: "deployment",
        reason: "variant '\(variant.name)' (\(variant.resolved.name) version \(variant.resolved.version)) failed: \(reason)")
    }
  }
}
