import MLOpsCore
import MLOpsRuntime

/// Running the chosen variant, and whose failure a failed run is: the outcome is recorded for
/// the rollout's analysis on whichever path the call took (inline on the transport's event
/// loop, or awaited), by the same code.
extension RouterEngine {
  /// A variant's answer: its outputs, and whether the response cache gave them.
  struct Run {
    var outputs: [String: Value]
    var cached: Bool
  }

  /// How far a call got without awaiting.
  enum Attempt {
    /// Answered (by the cache or by a model in this process).
    case done(Run)
    /// The variant's model must be awaited (a remote backend) on these inputs; `cacheKey` is
    /// where the answer goes when the deployment caches.
    case pending(inputs: [String: Tensor], cacheKey: String?)
    /// `inline` was asked and the run would not be short: nothing was done or counted.
    case declined
  }

  /// Runs `variant` on the feeds `make` builds for its model — or answers from the deployment's
  /// response cache, which neither a rollout's analysis nor a shadow sees — when that needs no
  /// await. With `inline`, a run the variant's budget says is long is declined before anything
  /// is counted, so the call can start again on the ordinary path.
  func attempt(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant, inline: Bool,
    _ make: (any Predictor) throws -> [String: Tensor]
  ) throws -> Attempt {
    let local = variant.model.local
    if inline, local == nil { return .declined }
    do {
      let inputs = try make(variant.model)
      let rows = inputs.values.first?.shape.first ?? 1
      if inline, !variant.budget.fits(rows: rows) { return .declined }
      let cacheKey = deployment.cache.map { _ in ResponseCache.key(variant: variant, inputs: inputs) }
      if let cache = deployment.cache, let cacheKey, let hit = cache.answer(for: cacheKey) {
        metrics.served(deployment: deployment.definition.name, variant: variant.name, failed: false)
        return .done(Run(outputs: hit, cached: true))
      }
      guard let local else { return .pending(inputs: inputs, cacheKey: cacheKey) }
      let ran = ContinuousClock.now
      let outputs = try local.run(inputs)
      variant.budget.record(rows: rows, elapsed: ContinuousClock.now - ran)
      return .done(answered(deployment, variant, started: started, outputs: outputs, cacheKey: cacheKey))
    } catch {
      throw attribution(of: error, deployment, variant, started: started, make)
    }
  }

  /// ``attempt(_:_:started:inline:_:)`` on the ordinary path: a remote variant is awaited.
  func attributed(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant,
    _ make: (any Predictor) throws -> [String: Tensor]
  ) async throws -> Run {
    switch try attempt(deployment, variant, started: started, inline: false, make) {
    case .done(let run): return run
    case .declined: preconditionFailure("only an inline attempt is declined")
    case .pending(let inputs, let cacheKey):
      do {
        let outputs = try await variant.model.predict(inputs)
        return answered(deployment, variant, started: started, outputs: outputs, cacheKey: cacheKey)
      } catch {
        throw attribution(of: error, deployment, variant, started: started, make)
      }
    }
  }

  /// Records a run the model answered, and caches its outputs when the deployment caches.
  private func answered(
    _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant, outputs: [String: Value],
    cacheKey: String?
  ) -> Run {
    record(deployment, variant, started: started, failed: false)
    if let cache = deployment.cache, let cacheKey { cache.store(outputs, for: cacheKey) }
    return Run(outputs: outputs, cached: false)
  }

  /// The outcome for `/metrics` and, while a rollout progresses, for its analysis (other
  /// deployments keep no figures).
  private func record(_ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant, failed: Bool) {
    let name = deployment.definition.name
    if deployment.rollout.phase == .progressing {
      stats.record(deployment: name, variant: variant.name, milliseconds: (ContinuousClock.now - started).milliseconds, failed: failed)
    }
    metrics.served(deployment: name, variant: variant.name, failed: failed)
  }

  /// What a failed run answers. A refusal counts against the variant — and reaches the caller
  /// as FAILED_PRECONDITION, not as the caller's mistake — when the primary accepts the same
  /// request: a canary that cannot run what the deployment's signature takes is failing.
  private func attribution(
    of error: any Error, _ deployment: LiveDeployment, _ variant: LiveDeployment.Variant, started: ContinuousClock.Instant,
    _ make: (any Predictor) throws -> [String: Tensor]
  ) -> any Error {
    let refusal = error as? ServingError
    let callerFault = refusal?.rpcErrorCode == .invalidArgument || (error as? ModelError)?.kind == .invalidInput
    let primary = deployment.primary
    if callerFault, variant.name == primary.name || (try? make(primary.model)) == nil {
      if let modelError = error as? ModelError { return ServingError.invalidArgument(field: "inputs", reason: modelError.message) }
      return error
    }
    record(deployment, variant, started: started, failed: true)
    let reason = refusal?.rpcErrorMessage ?? "\(error)"
    return ServingError.failedPrecondition(
      field: "deployment",
      reason: "variant '\(variant.name)' (\(variant.resolved.name) version \(variant.resolved.version)) failed: \(reason)")
  }
}
