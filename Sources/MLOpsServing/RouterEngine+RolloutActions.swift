/// Rollout actions by hand (and by the monitor's Rollback alert action): each is
/// FAILED_PRECONDITION, naming the phase, where the rollout's phase forbids it.
extension RouterEngine {
  /// Ends a progressing or paused rollout by making the canary the primary at 100%.
  public func promote(_ name: String, comment: String) async throws -> RolloutState {
    try await act(name, "Promote", allowed: [.progressing, .paused]) { deployment, next in
      try await self.promoted(deployment, next, reason: comment.isEmpty ? "promoted by hand" : "promoted by hand: \(comment)")
    }
  }

  /// Sends all traffic back to the primary; the rollout ends ROLLED_BACK.
  public func rollback(_ name: String, reason: String) async throws -> RolloutState {
    try await act(name, "Rollback", allowed: [.progressing, .paused]) { deployment, next in
      try await self.rolledBack(deployment, next, reason: reason.isEmpty ? "rolled back by hand" : "rolled back: \(reason)")
    }
  }

  /// Freezes the weights and the analysis at the current step.
  public func pause(_ name: String) async throws -> RolloutState {
    try await act(name, "PauseRollout", allowed: [.progressing]) { deployment, next in
      var next = next
      next.phase = .paused
      next.message = "paused at step \(next.step + 1); weights frozen"
      try await self.decide(deployment, next)
    }
  }

  /// Continues a paused rollout from the same step, with a fresh interval.
  public func resume(_ name: String) async throws -> RolloutState {
    try await act(name, "ResumeRollout", allowed: [.paused]) { deployment, next in
      var next = next
      next.phase = .progressing
      next.stepStartedTime = next.updatedTime
      next.message = "resumed at step \(next.step + 1): canary at \(next.canaryWeight)%"
      try await self.decide(deployment, next)
    }
  }

  private func act(
    _ name: String, _ action: String, allowed: Set<RolloutState.Phase>,
    _ body: @escaping @Sendable (LiveDeployment, RolloutState) async throws -> Void
  ) async throws -> RolloutState {
    _ = try await serving(name)  // NOT_FOUND, or UNAVAILABLE while loading, before anything
    try await decisions.withLock {
      guard let current = self.live.withLock({ $0[name] }) else { throw ServingError.deploymentNotFound(name) }
      guard allowed.contains(current.rollout.phase) else {
        throw ServingError.failedPrecondition(
          field: "deployment",
          reason: "deployment '\(name)' is \(Self.phaseName(current.rollout.phase)): there is no rollout to \(action)")
      }
      var next = current.rollout
      next.updatedTime = self.clock()
      try await body(current, next)
    }
    return try await rolloutStatus(name)
  }

  static func phaseName(_ phase: RolloutState.Phase) -> String {
    switch phase {
    case .stable: "STABLE"
    case .progressing: "PROGRESSING"
    case .paused: "PAUSED"
    case .promoted: "PROMOTED"
    case .rolledBack: "ROLLED_BACK"
    }
  }
}
