import Foundation

/// One rule's verdict.
public struct RuleOutcome: Sendable, Equatable {
  /// e.g. "required_stage", "metric_thresholds[0]".
  public var rule: String
  public var passed: Bool
  public var message: String
}

/// Every rule of the policy in force and how it went; no scope means no policy applies.
public struct PolicyEvaluation: Sendable, Equatable {
  public var scope: String
  public var outcomes: [RuleOutcome]

  public var allowed: Bool { outcomes.allSatisfy(\.passed) }
  public var violations: [(rule: String, reason: String)] { outcomes.filter { !$0.passed }.map { ($0.rule, $0.message) } }
}

/// The deployment policy's rules: what the versions a change would serve must satisfy
/// (stage, approvals, signature, their run's metrics) and how the deployment may change
/// (a monitor with a reference, canary only, steps no larger than allowed). The facts come
/// from the registry, tracker, monitor and router concurrently, within one deadline.
public struct PolicyEngine: Sendable {
  let store: PolicyStore
  let facts: any PlatformFacts
  let deadline: Duration

  public init(store: PolicyStore, facts: any PlatformFacts, deadline: Duration = .seconds(5)) {
    self.store = store
    self.facts = facts
    self.deadline = deadline
  }

  /// The rules for serving `choices` in `deployment`, which would look like `proposed` and
  /// looks like `current` now (nil: not created yet, or not a change of the deployment).
  public func evaluate(
    deployment: String, choices: [ModelChoice], proposed: DeploymentFacts?, current: DeploymentFacts?, checkStage: Bool = true
  ) async throws -> PolicyEvaluation {
    guard let policy = try await store.inForce(for: deployment) else { return PolicyEvaluation(scope: "", outcomes: []) }
    let facts = self.facts
    let outcomes = try await Self.within(deadline) {
      try await withThrowingTaskGroup(of: (Int, [RuleOutcome]).self) { group in
        for (index, choice) in choices.enumerated() {
          group.addTask { (index, try await Self.versionRules(choice, policy: policy, facts: facts, checkStage: checkStage)) }
        }
        if policy.requireReferenceProfile {
          group.addTask {
            let watched = try await facts.hasReferenceProfile(deployment: deployment)
            return (
              choices.count,
              [
                RuleOutcome(
                  rule: "require_reference_profile", passed: watched,
                  message: watched
                    ? "a monitor with a reference profile watches '\(deployment)'"
                    : "no monitor with a reference profile watches '\(deployment)' (create one and call SetReference)")
              ]
            )
          }
        }
        var all: [(Int, [RuleOutcome])] = []
        for try await part in group { all.append(part) }
        return all.sorted { $0.0 < $1.0 }.flatMap(\.1)
      }
    }
    return PolicyEvaluation(scope: policy.scope, outcomes: outcomes + Self.changeRules(policy, proposed: proposed, current: current))
  }

  /// Stage, approvals, signature and metric thresholds of the version one choice names.
  static func versionRules(_ choice: ModelChoice, policy: PolicyDefinition, facts: any PlatformFacts, checkStage: Bool) async throws
    -> [RuleOutcome]
  {
    let named = choice.alias.map { "\(choice.modelName)@\($0)" } ?? "\(choice.modelName) version \(choice.version ?? 0)"
    let subject = "variant '\(choice.variant)' (\(named))"
    guard let version = try await facts.version(choice) else {
      return [RuleOutcome(rule: "model", passed: false, message: "\(subject) does not exist in the registry")]
    }
    var outcomes: [RuleOutcome] = []
    if checkStage, !policy.requiredStage.isEmpty {
      let passed = version.stage == policy.requiredStage
      outcomes.append(
        .init(
          rule: "required_stage", passed: passed,
          message: "\(subject) is in \(version.stage)\(passed ? "" : ", not \(policy.requiredStage)")"))
    }
    if policy.requiredApprovals > 0 {
      let passed = version.approvals.count >= policy.requiredApprovals && version.rejections.isEmpty
      var message = "\(subject) has \(version.approvals.count) of \(policy.requiredApprovals) approvals"
      if !version.rejections.isEmpty { message += " and is rejected by \(version.rejections.sorted().joined(separator: ", "))" }
      outcomes.append(.init(rule: "required_approvals", passed: passed, message: message))
    }
    if policy.requireSignature {
      outcomes.append(
        .init(
          rule: "require_signature", passed: version.hasSignature,
          message: "\(subject) \(version.hasSignature ? "has" : "has no") signature"))
    }
    if !policy.thresholds.isEmpty {
      let metrics = version.runID.isEmpty ? [:] : try await facts.runMetrics(version.runID)
      for (index, threshold) in policy.thresholds.enumerated() {
        let rule = "metric_thresholds[\(index)]"
        guard let actual = metrics[threshold.metric] else {
          outcomes.append(
            .init(rule: rule, passed: false, message: "\(subject): run '\(version.runID)' has no metric '\(threshold.metric)'"))
          continue
        }
        let passed = threshold.passes(actual)
        outcomes.append(
          .init(
            rule: rule, passed: passed,
            message: "\(subject): \(threshold.metric) = \(actual)\(passed ? "" : ", needs \(threshold.op) \(threshold.value)")"))
      }
    }
    return outcomes
  }

  /// How the deployment changes: only through a canary, in steps no larger than allowed.
  static func changeRules(_ policy: PolicyDefinition, proposed: DeploymentFacts?, current: DeploymentFacts?) -> [RuleOutcome] {
    var outcomes: [RuleOutcome] = []
    if policy.requireCanary, let proposed, let current, let before = current.primary, let after = proposed.primary {
      let switched = before.modelName != after.modelName || before.version != after.version || before.alias != after.alias
      let direct = switched
      outcomes.append(
        .init(
          rule: "require_canary", passed: !direct,
          message: direct
            ? "'\(proposed.name)' would switch its primary from \(describe(before)) to \(describe(after)) directly; roll it out as a canary (STRATEGY_CANARY) and Promote it"
            : "the primary of '\(proposed.name)' is unchanged; new versions arrive as canaries"))
    }
    if policy.maxCanaryStep > 0, let proposed, proposed.canaryStrategy, proposed.canary != nil {
      var previous = 0.0
      var largest = 0.0
      for weight in proposed.stepWeights {
        largest = max(largest, weight - previous)
        previous = weight
      }
      let passed = largest <= policy.maxCanaryStep
      outcomes.append(
        .init(
          rule: "max_canary_step", passed: passed,
          message: "the largest canary step of '\(proposed.name)' is \(largest)%\(passed ? "" : ", above \(policy.maxCanaryStep)%")"))
    }
    return outcomes
  }

  static func describe(_ choice: ModelChoice) -> String {
    choice.alias.map { "\(choice.modelName)@\($0)" } ?? "\(choice.modelName) version \(choice.version ?? 0)"
  }

  /// `body`, or UNAVAILABLE when the peers take longer than `deadline` together.
  static func within<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: deadline)
        return nil
      }
      guard let first = try await group.next(), let value = first else {
        group.cancelAll()
        throw GatewayError.unavailable("the policy check did not get its answers from the registry, tracker and monitor within \(deadline)")
      }
      group.cancelAll()
      return value
    }
  }
}
