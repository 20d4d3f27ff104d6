import GRPCCore
import MLOpsCore
import MLOpsProto

/// ``PlatformFacts`` from the registry, tracker, monitor and router over the gateway's own
/// connections to them.
public struct PeerFacts: PlatformFacts {
  let registry: GRPCClientService
  let tracker: GRPCClientService
  let monitor: GRPCClientService
  let router: GRPCClientService
  let timeout: Duration

  public init(
    registry: GRPCClientService, tracker: GRPCClientService, monitor: GRPCClientService, router: GRPCClientService,
    timeout: Duration = .seconds(5)
  ) {
    self.registry = registry
    self.tracker = tracker
    self.monitor = monitor
    self.router = router
    self.timeout = timeout
  }

  var options: CallOptions {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    return options
  }

  /// Runs a peer call; NOT_FOUND becomes nil, a peer that cannot answer UNAVAILABLE naming it.
  func ask<T: Sendable>(_ peer: GRPCClientService, _ call: () async throws -> T) async throws -> T? {
    do {
      return try await call()
    } catch let error as RPCError where error.code == .notFound {
      return nil
    } catch let error as RPCError where error.isPeerFailure {
      throw GatewayError.unavailable("the policy check could not reach \(peer.peer): \(error.message)")
    }
  }

  public func version(_ choice: ModelChoice) async throws -> VersionFacts? {
    let client = Mlops_Registry_V1_RegistryService.Client(wrapping: registry.client)
    let found = try await ask(registry) {
      if let alias = choice.alias {
        return try await client.getModelVersionByAlias(
          .with {
            $0.name = choice.modelName
            $0.alias = alias
          }, options: options
        ).modelVersion
      }
      return try await client.getModelVersion(
        .with {
          $0.name = choice.modelName
          $0.version = choice.version ?? 0
        }, options: options
      ).modelVersion
    }
    guard let found else { return nil }
    var latest: [String: Mlops_Registry_V1_ReviewDecision] = [:]
    for review in found.reviews.sorted(by: { $0.time.milliseconds < $1.time.milliseconds }) { latest[review.reviewer] = review.decision }
    return VersionFacts(
      name: found.name, version: found.version, stage: Self.stage(found.stage),
      approvals: Set(latest.filter { $0.value == .approve }.keys), rejections: Set(latest.filter { $0.value == .reject }.keys),
      hasSignature: !found.signature.inputs.isEmpty, runID: found.runID)
  }

  public func runMetrics(_ runID: String) async throws -> [String: Double] {
    let client = Mlops_Tracker_V1_TrackerService.Client(wrapping: tracker.client)
    let run = try await ask(tracker) { try await client.getRun(.with { $0.runID = runID }, options: options).run }
    return Dictionary((run?.data.metrics ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
  }

  public func hasReferenceProfile(deployment: String) async throws -> Bool {
    let client = Mlops_Monitor_V1_MonitorService.Client(wrapping: monitor.client)
    let monitors = try await ask(monitor) {
      try await client.listMonitors(
        .with {
          $0.deployment = deployment
          $0.page.pageSize = 1000
        }, options: options
      ).monitors
    }
    return (monitors ?? []).contains { $0.hasReference_p }
  }

  public func deployment(_ name: String) async throws -> DeploymentFacts? {
    let client = Mlops_Serving_V1_InferenceRouterService.Client(wrapping: router.client)
    return try await ask(router) { try await client.getDeployment(.with { $0.name = name }, options: options).deployment }.map(Self.facts)
  }

  public func deploymentsFollowing(model: String, alias: String) async throws -> [DeploymentFacts] {
    let client = Mlops_Serving_V1_InferenceRouterService.Client(wrapping: router.client)
    var all: [Mlops_Serving_V1_Deployment] = []
    var token = ""
    repeat {
      let page = try await ask(router) {
        try await client.listDeployments(
          .with {
            $0.page.pageSize = 1000
            $0.page.pageToken = token
          }, options: options)
      }
      all += page?.deployments ?? []
      token = page?.nextPageToken ?? ""
    } while !token.isEmpty
    return all.filter { d in d.variants.contains { $0.model.modelName == model && $0.model.alias == alias && $0.role != .shadow } }
      .map(Self.facts)
  }

  /// A deployment (as the router describes it, or as a request proposes it) for the policy.
  public static func facts(_ d: Mlops_Serving_V1_Deployment) -> DeploymentFacts {
    func choice(_ v: Mlops_Serving_V1_Variant) -> ModelChoice {
      switch v.model.selector {
      case .version(let number)?: ModelChoice(variant: v.name, modelName: v.model.modelName, version: number)
      case .alias(let alias)?: ModelChoice(variant: v.name, modelName: v.model.modelName, alias: alias)
      case nil: ModelChoice(variant: v.name, modelName: v.model.modelName)
      }
    }
    let answering = d.variants.filter { $0.role != .shadow }
    let primary = answering.first { $0.role != .canary }
    let canary = answering.first { $0.role == .canary }
    return DeploymentFacts(
      name: d.name, canaryStrategy: d.strategy == .canary, primary: primary.map(choice), canary: canary.map(choice),
      others: answering.filter { $0.name != primary?.name && $0.name != canary?.name }.map(choice),
      stepWeights: d.canary.stepWeights)
  }

  static func stage(_ stage: Mlops_Registry_V1_Stage) -> String {
    switch stage {
    case .staging: "Staging"
    case .production: "Production"
    case .archived: "Archived"
    default: "None"
    }
  }
}
