import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Policies, their dry run, and the gateway's audit on the wire.
extension GatewayService {
  func registerPolicyMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    guard let policy else {
      UnimplementedService(
        methods: [
          Methods.SetPolicy.descriptor, Methods.GetPolicy.descriptor, Methods.EvaluatePolicy.descriptor, Methods.ListAuditEvents.descriptor,
        ],
        capability: "deployment policy (this gateway runs with --auth=off)"
      ).registerMethods(with: &router)
      return
    }
    router.registerUnaryWithMetadata(Methods.SetPolicy.self) { (r: Mlops_Gateway_V1_SetPolicyRequest, metadata, _) in
      var definition = PolicyDefinition(r.policy)
      try definition.validate()
      definition.updatedTime = policy.clock()
      definition.updatedBy = metadata.actor
      try await policy.store.save(definition)
      return Mlops_Gateway_V1_PolicyResponse.with { $0.policy = .init(definition) }
    }
    router.registerUnary(Methods.GetPolicy.self) { (r: Mlops_Gateway_V1_GetPolicyRequest, _) in
      let scope = r.scope.isEmpty ? PolicyDefinition.defaultScope : r.scope
      guard let found = try await policy.store.policy(scope) else { throw GatewayError.policyNotFound(scope) }
      return Mlops_Gateway_V1_PolicyResponse.with { $0.policy = .init(found) }
    }
    router.registerUnary(Methods.EvaluatePolicy.self) { (r: Mlops_Gateway_V1_EvaluatePolicyRequest, _) in
      let evaluation = try await Self.dryRun(r, policy: policy)
      return Mlops_Gateway_V1_EvaluatePolicyResponse.with {
        $0.allowed = evaluation.allowed
        $0.policyScope = evaluation.scope
        $0.outcomes = evaluation.outcomes.map { o in
          .with {
            $0.rule = o.rule
            $0.passed = o.passed
            $0.message = o.message
          }
        }
      }
    }
    router.registerUnary(Methods.ListAuditEvents.self) { (r: Mlops_Gateway_V1_ListAuditEventsRequest, _) in
      let limit = r.page.pageSize <= 0 ? 100 : min(Int(r.page.pageSize), 1000)
      guard r.page.pageToken.isEmpty || Int64(r.page.pageToken) != nil else {
        throw GatewayError.invalidArgument(field: "page.page_token", reason: "is not a token this gateway returned")
      }
      let range = try Self.range(r)
      let entries = try await policy.audit.entries(
        actor: r.actor, deployment: r.deployment, start: range.0, end: range.1, afterSequence: Int64(r.page.pageToken) ?? 0,
        limit: limit + 1)
      let page = Array(entries.prefix(limit))
      return Mlops_Gateway_V1_ListAuditEventsResponse.with {
        $0.events = page.map(Mlops_Gateway_V1_GatewayAuditEvent.init)
        $0.nextPageToken = entries.count > limit ? String(page.last?.sequence ?? 0) : ""
      }
    }
  }

  static func range(_ r: Mlops_Gateway_V1_ListAuditEventsRequest) throws -> (Int64, Int64) {
    let start = r.hasStartTime ? try r.startTime.milliseconds { GatewayError.invalidArgument(field: "start_time", reason: $0) } : 0
    let end = r.hasEndTime ? try r.endTime.milliseconds { GatewayError.invalidArgument(field: "end_time", reason: $0) } : 0
    return (start, end)
  }

  /// EvaluatePolicy: the rules for one model serving one deployment, as the action would
  /// bring it (a new primary for create and update, a canary for Promote).
  static func dryRun(_ r: Mlops_Gateway_V1_EvaluatePolicyRequest, policy: PolicyServices) async throws -> PolicyEvaluation {
    guard !r.deployment.isEmpty else { throw GatewayError.invalidArgument(field: "deployment", reason: "must name a deployment") }
    guard !r.model.modelName.isEmpty else { throw GatewayError.invalidArgument(field: "model.model_name", reason: "must name a model") }
    var choice = ModelChoice(variant: "evaluated", modelName: r.model.modelName)
    switch r.model.selector {
    case .version(let version)?: choice.version = version
    case .alias(let alias)?: choice.alias = alias
    case nil: throw GatewayError.invalidArgument(field: "model", reason: "name a version or an alias")
    }
    let current = try await policy.facts.deployment(r.deployment)
    var proposed =
      current ?? DeploymentFacts(name: r.deployment, canaryStrategy: false, primary: nil, canary: nil, others: [], stepWeights: [])
    switch r.action {
    case .promote,
      .updateDeployment where current?.canaryStrategy == true:
      proposed.canary = choice
    case .createDeployment, .updateDeployment, .setAlias: proposed.primary = choice
    default: throw GatewayError.invalidArgument(field: "action", reason: "name the action to evaluate")
    }
    return try await policy.engine.evaluate(deployment: r.deployment, choices: [choice], proposed: proposed, current: current)
  }
}

/// What the policy RPCs work with.
public struct PolicyServices: Sendable {
  let store: PolicyStore
  let engine: PolicyEngine
  let facts: any PlatformFacts
  let audit: AuditLog
  let clock: @Sendable () -> Int64

  public init(store: PolicyStore, engine: PolicyEngine, facts: any PlatformFacts, audit: AuditLog, clock: @escaping @Sendable () -> Int64) {
    self.store = store
    self.engine = engine
    self.facts = facts
    self.audit = audit
    self.clock = clock
  }
}

extension PolicyDefinition {
  init(_ p: Mlops_Gateway_V1_Policy) {
    self.init(
      scope: p.scope, requiredStage: p.requiredStage, requiredApprovals: Int(p.requiredApprovals), requireSignature: p.requireSignature,
      thresholds: p.metricThresholds.map { .init(metric: $0.metric, op: $0.op, value: $0.value) },
      requireReferenceProfile: p.requireReferenceProfile, requireCanary: p.requireCanary, maxCanaryStep: p.maxCanaryStep)
  }
}

extension Mlops_Gateway_V1_Policy {
  init(_ d: PolicyDefinition) {
    self.init()
    scope = d.scope
    requiredStage = d.requiredStage
    requiredApprovals = Int32(clamping: d.requiredApprovals)
    requireSignature = d.requireSignature
    metricThresholds = d.thresholds.map { t in
      .with {
        $0.metric = t.metric
        $0.op = t.op
        $0.value = t.value
      }
    }
    requireReferenceProfile = d.requireReferenceProfile
    requireCanary = d.requireCanary
    maxCanaryStep = d.maxCanaryStep
    updatedTime = Google_Protobuf_Timestamp(milliseconds: d.updatedTime)
    updatedBy = d.updatedBy
  }
}

extension Mlops_Gateway_V1_GatewayAuditEvent {
  init(_ e: AuditEntry) {
    self.init()
    sequence = e.sequence
    time = Google_Protobuf_Timestamp(milliseconds: e.time)
    actor = e.actor
    keyID = e.keyID
    method = e.method
    code = e.code
    deployment = e.deployment
    detail = e.detail
  }
}
