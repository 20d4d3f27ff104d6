import Foundation
import MLOpsCore
import MLOpsRuntime
import NIOCore

/// Running a deployment's models: each call is routed, run (or answered from the cache),
/// sampled and mirrored. The `…Inline` forms do it without awaiting, for the transport's
/// event loop, and answer nil when the call needs an await (the deployment is not loaded here,
/// rows need enrichment, the variant is remote or its run would be long); the call then takes
/// the ordinary path, with nothing counted twice.
extension RouterEngine {
  /// What a prediction answered and who answered it.
  public struct Prediction: Sendable {
    public var variant: String
    public var model: ResolvedModel
    public var rows: [[String: Cell]]
    /// Whether the deployment's response cache answered (the model did not run).
    public var cached: Bool
  }

  /// What Open Inference Protocol call answered and who answered it.
  public struct Inference: Sendable {
    public var variant: LiveDeployment.Variant
    public var outputs: [String: Value]
    public var cached: Bool
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
    return predicted(deployment, variant, rows: rows, run: run, requestID: requestID, started: started)
  }

  /// ``predict(deployment:rows:entities:routingKey:header:requestID:)`` without awaiting, or nil.
  public func predictInline(
    deployment name: String, rows: [[String: Cell]], entities: [[String: Cell]] = [], routingKey: String,
    header: (String) -> String? = { _ in nil }, requestID: String
  ) throws -> Prediction? {
    let started = ContinuousClock.now
    guard let deployment = live.withLock({ $0[name] }), entities.allSatisfy(\.isEmpty) else { return nil }
    let key = deployment.definition.routingKey(routingKey, rows: rows, entities: entities)
    let variant = try deployment.route(routingKey: key, override: header(deployment.definition.effectiveOverrideHeader))
    let attempt = try attempt(deployment, variant, started: started, inline: true) {
      try PredictionFeeds.make(for: $0, rows: rows, field: "instances")
    }
    guard case .done(let run) = attempt else { return nil }
    return predicted(deployment, variant, rows: rows, run: run, requestID: requestID, started: started)
  }

  /// ``predictInline(deployment:rows:entities:routingKey:header:requestID:)`` for rows that
  /// need enrichment: the lookup goes out on the feature lookup's connection of `loop`, and
  /// the model runs on `loop` when the answer comes; `completion` gets the prediction there.
  /// False, with nothing sent, when the call must await on the ordinary path instead.
  public func predictInline(
    deployment name: String, rows: [[String: Cell]], entities: [[String: Cell]], routingKey: String,
    header: (String) -> String? = { _ in nil }, requestID: String, on loop: any EventLoop,
    completion: @escaping (Result<Prediction, any Error>) -> Void
  ) throws -> Bool {
    let started = ContinuousClock.now
    guard let deployment = live.withLock({ $0[name] }), let features, let wanted = try lookup(entities, definition: deployment.definition)
    else { return false }
    let key = deployment.definition.routingKey(routingKey, rows: rows, entities: entities)
    let variant = try deployment.route(routingKey: key, override: header(deployment.definition.effectiveOverrideHeader))
    guard variant.model.local != nil, variant.budget.fits(rows: rows.count) else { return false }
    let definition = deployment.definition
    return features.online(features: definition.enrichment, entities: wanted.map { entities[$0] }, on: loop) { [self] values in
      completion(
        Result {
          let rows = try merged(rows, entities: entities, wanted: wanted, values: try values.get(), definition: definition)
          let attempt = try attempt(deployment, variant, started: started, inline: false) {
            try PredictionFeeds.make(for: $0, rows: rows, field: "instances")
          }
          guard case .done(let run) = attempt else { preconditionFailure("a model in this process answers at once") }
          return predicted(deployment, variant, rows: rows, run: run, requestID: requestID, started: started)
        })
    }
  }

  /// A run's rows as the answer; the request is sampled, and mirrored when the model ran.
  private func predicted(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, rows: [[String: Cell]], run: Run, requestID: String,
    started: ContinuousClock.Instant
  ) -> Prediction {
    let answered = PredictionOutputs.rows(run.outputs, order: variant.model.outputs, count: rows.count)
    sample(deployment, variant, requestID: requestID, started: started) { (rows, answered) }
    if !run.cached {
      mirror(deployment, primaryRows: answered) { model in try PredictionFeeds.make(for: model, rows: rows, field: "instances") }
    }
    return Prediction(variant: variant.name, model: variant.resolved, rows: answered, cached: run.cached)
  }

  /// Routes one Open Inference Protocol request; `feeds` builds the chosen variant's input
  /// tensors (each variant's model may type them differently). `parameters` are the
  /// request's string parameters, which carry `routing_key` or the deployment's sticky
  /// field; `header` reads a request header by name (the override header).
  public func infer(
    deployment name: String, parameters: [String: String], header: (String) -> String? = { _ in nil }, requestID: String,
    feeds: @escaping @Sendable (any Predictor) throws -> [String: Tensor]
  ) async throws -> Inference {
    let started = ContinuousClock.now
    let deployment = try await serving(name)
    let variant = try deployment.route(
      routingKey: inferenceKey(deployment, parameters), override: header(deployment.definition.effectiveOverrideHeader))
    var fed: [String: Tensor] = [:]
    let run = try await attributed(deployment, variant, started: started) { model in try Self.checked(feeds(model), for: model, into: &fed)
    }
    return inferred(deployment, variant, fed: fed, run: run, requestID: requestID, started: started, feeds: feeds)
  }

  /// ``infer(deployment:parameters:header:requestID:feeds:)`` without awaiting, or nil.
  public func inferInline(
    deployment name: String, parameters: [String: String], header: (String) -> String? = { _ in nil }, requestID: String,
    feeds: @escaping @Sendable (any Predictor) throws -> [String: Tensor]
  ) throws -> Inference? {
    let started = ContinuousClock.now
    guard let deployment = live.withLock({ $0[name] }) else { return nil }
    let variant = try deployment.route(
      routingKey: inferenceKey(deployment, parameters), override: header(deployment.definition.effectiveOverrideHeader))
    var fed: [String: Tensor] = [:]
    let attempt = try attempt(deployment, variant, started: started, inline: true) { model in
      try Self.checked(feeds(model), for: model, into: &fed)
    }
    guard case .done(let run) = attempt else { return nil }
    return inferred(deployment, variant, fed: fed, run: run, requestID: requestID, started: started, feeds: feeds)
  }

  /// The routing key of an Open Inference request: the deployment's sticky field, else `routing_key`.
  private func inferenceKey(_ deployment: LiveDeployment, _ parameters: [String: String]) -> String {
    deployment.definition.stickyKey.flatMap { parameters[$0] } ?? parameters["routing_key"] ?? ""
  }

  /// `inputs` once every input `model` declares is there (kept in `fed` for sampling).
  private static func checked(_ inputs: [String: Tensor], for model: any Predictor, into fed: inout [String: Tensor]) throws
    -> [String: Tensor]
  {
    for spec in model.inputs where inputs[spec.name] == nil {
      throw ServingError.invalidArgument(field: "inputs", reason: "missing input '\(spec.name)' (\(PredictionFeeds.describe(spec)))")
    }
    fed = inputs
    return inputs
  }

  /// A run's outputs as the answer; the request is sampled, and mirrored when the model ran.
  private func inferred(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, fed: [String: Tensor], run: Run, requestID: String,
    started: ContinuousClock.Instant, feeds: @escaping @Sendable (any Predictor) throws -> [String: Tensor]
  ) -> Inference {
    let count = fed.values.first?.shape.first ?? 1
    let answered = { PredictionOutputs.rows(run.outputs, order: variant.model.outputs, count: count) }
    sample(deployment, variant, requestID: requestID, started: started) {
      (PredictionOutputs.rows(fed.mapValues(Value.tensor), order: variant.model.inputs, count: count), answered())
    }
    if !run.cached, !deployment.shadows.isEmpty { mirror(deployment, primaryRows: answered(), feeds) }
    return Inference(variant: variant, outputs: run.outputs, cached: run.cached)
  }

  /// The deployment's primary variant, whose model describes it (ModelMetadata).
  public func primary(of name: String) async throws -> LiveDeployment.Variant {
    try await serving(name).primary
  }
}
