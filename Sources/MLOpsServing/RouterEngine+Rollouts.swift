import Foundation

/// Canary rollouts: each interval the canary's figures are judged against the policy; a
/// passing step advances (and the last one promotes when `auto_promote`), a failing check
/// counts toward the failure limit, which rolls back. Every decision is stored before it
/// takes effect, so a restart resumes at the same step.
extension RouterEngine {
  /// The rollout of `name` as it stands.
  public func rolloutStatus(_ name: String) async throws -> RolloutState {
    if let found = live.withLock({ $0[name] }) {
      guard let shadowMirror, !found.shadows.isEmpty else { return found.rollout }
      var status = found.rollout
      status.analysis += shadowMirror.analysis(name, generation: found.definition.generation, shadows: found.shadows.map(\.name))
      return status
    }
    let definition = try await deployment(name)
    if let saved = try await store.rollout(name), saved.generation == definition.generation { return saved }
    return .stable(definition)
  }

  /// The rollout now, then every change, until it ends.
  public func watchRollout(_ name: String) async throws -> AsyncStream<RolloutState> {
    watchers.watch(try await rolloutStatus(name))
  }

  /// Judges every rollout whose interval has run out (called by the background ticker).
  public func advanceRollouts() async {
    let now = clock()
    let due = live.withLock { live in
      live.values.filter { deployment in
        guard deployment.rollout.phase == .progressing, let policy = deployment.definition.canary else { return false }
        return now - (intervalStarted.withLock { $0[deployment.definition.name] } ?? now) >= policy.intervalMilliseconds
      }.map(\.definition.name)
    }
    for name in due {
      do {
        guard let interval = live.withLock({ $0[name]?.definition.canary?.intervalMilliseconds }),
          try await store.lease(name, owner: instanceID, now: now, until: now + max(3 * interval, 10_000))
        else { continue }
        try await judge(name)
      } catch {
        logger.error("rollout decision failed", metadata: ["deployment": "\(name)", "error": "\(error)"])
      }
    }
  }

  private func judge(_ name: String) async throws {
    try await decisions.withLock {
      guard let deployment = live.withLock({ $0[name] }), deployment.rollout.phase == .progressing,
        let policy = deployment.definition.canary, let canary = deployment.variants.first(where: { $0.role == .canary })
      else { return }
      let analysis = stats.take(deployment: name, variants: deployment.variants.map(\.name))
      let figures = analysis.first { $0.variant == canary.name } ?? .init(variant: canary.name)
      var next = deployment.rollout
      next.analysis = analysis
      next.updatedTime = clock()
      let step = "step \(next.step + 1) of \(policy.stepWeights.count)"
      let needed = max(policy.minRequests, 1)
      if figures.requests < needed {
        next.message = "\(step): the canary served \(figures.requests) of the \(needed) requests a check needs; waiting"
        return try await decide(deployment, next)
      }
      var failures = Self.failures(figures, policy)
      if policy.useMonitorAlerts, let failure = await monitorFailure(name, canary: canary.name, state: &next) {
        failures.append(failure)
      }
      if !failures.isEmpty {
        next.failedChecks += 1
        let reason = "check failed at \(step) (\(next.failedChecks) of \(policy.failureLimit)): " + failures.joined(separator: "; ")
        if next.failedChecks >= policy.failureLimit {
          return try await rolledBack(deployment, next, reason: "automatic rollback: " + reason)
        }
        next.message = reason
        return try await decide(deployment, next)
      }
      if next.step + 1 < policy.stepWeights.count {
        next.step += 1
        next.canaryWeight = policy.stepWeights[next.step]
        next.stepStartedTime = next.updatedTime
        next.message = "\(step) passed; step \(next.step + 1) of \(policy.stepWeights.count): canary at \(next.canaryWeight)%"
        return try await decide(deployment, next)
      }
      if policy.autoPromote {
        return try await promoted(deployment, next, reason: "automatic promotion: every step passed")
      }
      next.message = "every step passed; waiting for Promote"
      try await decide(deployment, next)
    }
  }

  /// Why the monitor fails the canary's check: open drift or performance alerts raised since
  /// the step began (counted into the canary's analysis), or a monitor that cannot say.
  private func monitorFailure(_ name: String, canary: String, state: inout RolloutState) async -> String? {
    let since = state.stepStartedTime ?? intervalStarted.withLock { $0[name] } ?? state.updatedTime
    do {
      guard let alerts else { throw ServingError.unavailable("this router has no monitor") }
      let open = try await alerts.openAlerts(deployment: name, since: since)
      if let index = state.analysis.firstIndex(where: { $0.variant == canary }) { state.analysis[index].openAlerts = Int64(open) }
      return open > 0 ? "\(open) open drift or performance alert(s) from the monitor" : nil
    } catch {
      return "monitor alerts unknown: \((error as? ServingError)?.rpcErrorMessage ?? "\(error)")"
    }
  }

  /// Why the canary's figures fail the policy; empty when they pass.
  static func failures(_ figures: RolloutState.Analysis, _ policy: DeploymentDefinition.CanaryPolicy) -> [String] {
    var failures: [String] = []
    if figures.errorRate > policy.maxErrorRate {
      failures.append(
        "error rate \(Self.format(figures.errorRate)) > \(Self.format(policy.maxErrorRate)) (\(figures.errors) of \(figures.requests))")
    }
    if policy.maxLatencyP50Milliseconds > 0, figures.latencyP50Milliseconds > policy.maxLatencyP50Milliseconds {
      failures.append("latency p50 \(Self.format(figures.latencyP50Milliseconds)) ms > \(Self.format(policy.maxLatencyP50Milliseconds)) ms")
    }
    if policy.maxLatencyP99Milliseconds > 0, figures.latencyP99Milliseconds > policy.maxLatencyP99Milliseconds {
      failures.append("latency p99 \(Self.format(figures.latencyP99Milliseconds)) ms > \(Self.format(policy.maxLatencyP99Milliseconds)) ms")
    }
    return failures
  }

  static func format(_ value: Double) -> String { String(format: "%.3g", value) }

  /// Stores `next` and serves under it.
  func decide(_ deployment: LiveDeployment, _ next: RolloutState) async throws {
    try await store.save(next)
    install(deployment.with(next))
  }

  func rolledBack(_ deployment: LiveDeployment, _ next: RolloutState, reason: String) async throws {
    var next = next
    next.phase = .rolledBack
    next.canaryWeight = 0
    next.message = reason
    next.updatedTime = clock()
    try await decide(deployment, next)
    logger.notice("rollout rolled back", metadata: ["deployment": "\(deployment.definition.name)", "reason": "\(reason)"])
  }

  /// The canary's model becomes the primary's at 100% (the primary keeps its name, as in
  /// Flagger), stored as a new generation, and the rollout ends PROMOTED.
  func promoted(_ deployment: LiveDeployment, _ next: RolloutState, reason: String) async throws {
    let name = deployment.definition.name
    guard let canary = deployment.variants.first(where: { $0.role == .canary }),
      let canaryDefinition = deployment.definition.canaryVariant
    else { return }
    let primary = deployment.primary
    let stored = try await store.replace(name, expected: deployment.definition.generation) { current in
      var next = current
      next.variants = current.variants.compactMap { variant in
        if variant.role == .canary { return nil }
        guard variant.name == primary.name else { return variant }
        var promoted = variant
        // A primary that follows an alias keeps following it; it now serves the canary's version.
        if variant.model.alias == nil { promoted.model = canaryDefinition.model }
        promoted.resolvedVersion = canaryDefinition.resolvedVersion
        promoted.resolvedDigest = canaryDefinition.resolvedDigest
        return promoted
      }
      next.updatedTime = self.clock()
      return next
    }
    var final = next
    final.phase = .promoted
    final.step = -1
    final.canaryWeight = 0
    final.message = reason
    final.generation = stored.generation
    final.updatedTime = clock()
    try await store.save(final)
    let variants =
      [LiveDeployment.Variant(name: primary.name, role: .primary, model: canary.model, resolved: canary.resolved)]
      + deployment.shadows
    install(LiveDeployment(definition: stored, variants: variants, rollout: final, cache: responseCache(for: stored)))
    logger.notice("rollout promoted", metadata: ["deployment": "\(name)", "version": "\(canary.resolved.version)"])
  }
}
