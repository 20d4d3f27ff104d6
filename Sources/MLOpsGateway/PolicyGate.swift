import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Deployment changes sent through the gateway are checked against the policy before they
/// are forwarded: CreateDeployment, UpdateDeployment and Promote on the router; SetAlias (for
/// every deployment that follows the alias) and TransitionStage to Production on the
/// registry. A refusal is FAILED_PRECONDITION listing every violated rule; every decision is
/// audited.
public struct PolicyGate: Sendable {
  let engine: PolicyEngine
  let facts: any PlatformFacts
  let audit: AuditLog?

  public init(engine: PolicyEngine, facts: any PlatformFacts, audit: AuditLog?) {
    self.engine = engine
    self.facts = facts
    self.audit = audit
  }

  typealias Router = Mlops_Serving_V1_InferenceRouterService.Method
  typealias Registry = Mlops_Registry_V1_RegistryService.Method

  /// The methods the gate checks.
  public static let gated: Set<String> = [
    Router.CreateDeployment.descriptor.fullyQualifiedMethod, Router.UpdateDeployment.descriptor.fullyQualifiedMethod,
    Router.Promote.descriptor.fullyQualifiedMethod, Registry.SetAlias.descriptor.fullyQualifiedMethod,
    Registry.TransitionStage.descriptor.fullyQualifiedMethod,
  ]

  /// Checks one request of a gated method; throws the refusal. Requests that do not decode
  /// pass on, for the owning service to refuse with its own message.
  public func check(_ method: MethodDescriptor, _ bytes: [UInt8], metadata: Metadata) async throws {
    let actor = metadata.actor
    let decided: [(String, PolicyEvaluation)]
    switch method {
    case Router.CreateDeployment.descriptor:
      guard let r = try? Mlops_Serving_V1_CreateDeploymentRequest(serializedBytes: bytes) else { return }
      decided = [(r.deployment.name, try await deployment(r.deployment, current: nil))]
    case Router.UpdateDeployment.descriptor:
      guard let r = try? Mlops_Serving_V1_UpdateDeploymentRequest(serializedBytes: bytes) else { return }
      decided = [(r.deployment.name, try await deployment(r.deployment, current: try await facts.deployment(r.deployment.name)))]
    case Router.Promote.descriptor:
      guard let r = try? Mlops_Serving_V1_PromoteRequest(serializedBytes: bytes), let current = try await facts.deployment(r.deployment),
        let canary = current.canary
      else { return }
      decided = [(r.deployment, try await engine.evaluate(deployment: r.deployment, choices: [canary], proposed: nil, current: nil))]
    case Registry.SetAlias.descriptor:
      guard let r = try? Mlops_Registry_V1_SetAliasRequest(serializedBytes: bytes) else { return }
      decided = try await alias(r)
    case Registry.TransitionStage.descriptor:
      guard let r = try? Mlops_Registry_V1_TransitionStageRequest(serializedBytes: bytes), r.stage == .production else { return }
      let choice = ModelChoice(variant: "stage", modelName: r.name, version: r.version)
      let evaluation = try await engine.evaluate(
        deployment: PolicyDefinition.defaultScope, choices: [choice], proposed: nil, current: nil, checkStage: false)
      decided = [("", evaluation)]
    default:
      return
    }
    for (deployment, evaluation) in decided where !evaluation.scope.isEmpty {
      let detail = evaluation.outcomes.map { "\($0.passed ? "pass" : "FAIL") \($0.rule): \($0.message)" }.joined(separator: "\n")
      audit?.record(
        actor: actor, keyID: "", method: method.fullyQualifiedMethod, code: evaluation.allowed ? "ALLOWED" : "REFUSED",
        deployment: deployment, detail: detail)
      if !evaluation.allowed { throw GatewayError.policyViolated(scope: evaluation.scope, violations: evaluation.violations) }
    }
  }

  /// A deployment as a request proposes it, against what the router serves now.
  func deployment(_ proposed: Mlops_Serving_V1_Deployment, current: DeploymentFacts?) async throws -> PolicyEvaluation {
    let facts = PeerFacts.facts(proposed)
    return try await engine.evaluate(deployment: proposed.name, choices: facts.answering, proposed: facts, current: current)
  }

  /// Every deployment following the alias, as it would be once the alias names the version.
  func alias(_ r: Mlops_Registry_V1_SetAliasRequest) async throws -> [(String, PolicyEvaluation)] {
    var decided: [(String, PolicyEvaluation)] = []
    for current in try await facts.deploymentsFollowing(model: r.name, alias: r.alias) {
      var proposed = current
      let moved = ModelChoice(variant: "", modelName: r.name, version: r.version)
      let follower = current.answering.first { $0.modelName == r.name && $0.alias == r.alias }
      var choice = moved
      choice.variant = follower?.variant ?? r.alias
      // A CANARY deployment's primary rolls the new version out as a canary (allowed by
      // require_canary); others switch at once.
      if current.canaryStrategy, follower?.variant == current.primary?.variant {
        proposed.canary = choice
      } else if follower?.variant == current.primary?.variant {
        proposed.primary = choice
      }
      decided.append(
        (current.name, try await engine.evaluate(deployment: current.name, choices: [choice], proposed: proposed, current: current)))
    }
    return decided
  }
}
