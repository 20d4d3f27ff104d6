import Foundation
import Logging
import MLOpsCore
import MLOpsRuntime
import Synchronization

/// The router's rules: deployments are validated, their models resolved with the registry,
/// downloaded (digest verified), loaded and only then stored and routed to; predictions pick
/// a variant by the deployment's split and run its model in-process; canary rollouts step,
/// are judged, promoted or rolled back. Knows no generated types.
public final class RouterEngine: Sendable {
  let store: DeploymentStore
  let cache: ModelCache
  let logger: Logger
  let clock: @Sendable () -> Int64
  let metrics: RouterMetrics
  /// Where sampled predictions go; nil: nowhere (a deployment asking for sampling is refused).
  let sampler: PredictionSampler?
  /// Where enrichment reads online features; nil: a deployment asking for it is refused.
  let features: (any FeatureLookup)?
  /// Runs shadow variants on mirrored copies; nil: shadows are loaded but never run.
  let shadowMirror: ShadowMirror?
  /// What canary analysis asks about open monitor alerts (`use_monitor_alerts`).
  let alerts: (any AlertSource)?
  let stats = RolloutStats()
  let watchers = RolloutWatchers()
  let live = Mutex<[String: LiveDeployment]>([:])
  /// When each progressing rollout's current interval began (epoch milliseconds).
  let intervalStarted = Mutex<[String: Int64]>([:])
  /// Stored deployments whose models could not be loaded since the process started, with why.
  private let unloaded = Mutex<[String: String]>([:])
  /// Serialises rollout decisions and deployment writes, so a tick never judges a state an
  /// update or a Promote is replacing.
  let decisions = AsyncLock()
  /// Connections to remote Open Inference Protocol backends, by endpoint.
  let remotes = RemoteBackends()
  /// This router among replicas sharing storage, for the rollout lease.
  let instanceID = UUID().uuidString.lowercased()

  public init(
    store: DeploymentStore, cache: ModelCache, logger: Logger, metrics: RouterMetrics = RouterMetrics(registry: nil),
    sampler: PredictionSampler? = nil, features: (any FeatureLookup)? = nil, shadowMirror: ShadowMirror? = nil,
    alerts: (any AlertSource)? = nil, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.alerts = alerts
    self.shadowMirror = shadowMirror
    self.sampler = sampler
    self.features = features
    self.store = store
    self.cache = cache
    self.logger = logger
    self.metrics = metrics
    self.clock = clock
  }

  /// Validates, loads every variant's model, then stores and serves the deployment; a canary
  /// variant starts its rollout at the first step.
  public func create(_ definition: DeploymentDefinition) async throws -> DeploymentDefinition {
    var definition = definition
    try definition.validate()
    guard try await store.deployment(definition.name) == nil else { throw ServingError.deploymentNameTaken(definition.name) }
    let loaded = try await load(definition, field: "deployment")
    var stored = loaded.definition
    stored.generation = 1
    stored.createdTime = clock()
    stored.updatedTime = stored.createdTime
    let created = stored
    try await decisions.withLock {
      try await store.create(created)
      try await begin(
        LiveDeployment(definition: created, variants: loaded.variants, rollout: .stable(created), cache: responseCache(for: created)))
    }
    return created
  }

  /// Replaces variants and routing; the new models are loaded before anything changes, and
  /// the new generation takes over at once (in-flight predictions finish on the old one). A
  /// canary in the new definition starts a new rollout at the first step.
  public func update(_ definition: DeploymentDefinition, expectedGeneration: Int64) async throws -> DeploymentDefinition {
    var definition = definition
    try definition.validate()
    guard expectedGeneration >= 0 else { throw ServingError.invalidArgument(field: "expected_generation", reason: "must not be negative") }
    guard try await store.deployment(definition.name) != nil else { throw ServingError.deploymentNotFound(definition.name) }
    let loaded = try await load(definition, field: "deployment")
    let now = clock()
    let name = definition.name
    return try await decisions.withLock {
      let stored = try await store.replace(name, expected: expectedGeneration) { current in
        var next = loaded.definition
        next.createdTime = current.createdTime
        next.updatedTime = max(now, current.createdTime)
        return next
      }
      try await begin(
        LiveDeployment(definition: stored, variants: loaded.variants, rollout: .stable(stored), cache: responseCache(for: stored)))
      return stored
    }
  }

  /// Serves a newly written generation: a canary starts its rollout (recorded first).
  func begin(_ deployment: LiveDeployment) async throws {
    var rollout = RolloutState.stable(deployment.definition)
    if deployment.definition.canaryVariant != nil, let policy = deployment.definition.canary {
      rollout = .started(deployment.definition, policy: policy, at: clock())
      try await store.save(rollout)
    }
    install(deployment.with(rollout))
  }

  public func deployment(_ name: String) async throws -> DeploymentDefinition {
    guard let found = try await store.deployment(name) else { throw ServingError.deploymentNotFound(name) }
    return found
  }

  /// A page of deployments by name; the token is the last name returned.
  public func deployments(pageSize: Int, pageToken: String) async throws -> ([DeploymentDefinition], String) {
    guard pageSize >= 0 else { throw ServingError.invalidArgument(field: "page.page_size", reason: "must not be negative") }
    let limit = pageSize == 0 ? 100 : min(pageSize, 1000)
    let page = try await store.deployments(after: pageToken, limit: limit + 1)
    let shown = Array(page.prefix(limit))
    return (shown, page.count > limit ? shown.last?.name ?? "" : "")
  }

  /// Stops serving and forgets the deployment; a watcher of its rollout sees the stream end.
  public func delete(_ name: String) async throws {
    try await decisions.withLock {
      try await store.delete(name)
      _ = live.withLock { $0.removeValue(forKey: name) }
      _ = unloaded.withLock { $0.removeValue(forKey: name) }
      stats.reset(deployment: name)
      watchers.finish(name)
    }
  }

  /// The serving state of `name`: NOT_FOUND for no such deployment, UNAVAILABLE while its
  /// models are not loaded (after a restart with the registry down).
  func serving(_ name: String) async throws -> LiveDeployment {
    if let found = live.withLock({ $0[name] }) { return found }
    if let reason = unloaded.withLock({ $0[name] }) {
      throw ServingError.unavailable("deployment: deployment '\(name)' is not loaded yet: \(reason)")
    }
    guard try await store.deployment(name) != nil else { throw ServingError.deploymentNotFound(name) }
    throw ServingError.unavailable("deployment: deployment '\(name)' is still loading")
  }

  /// A new, empty response cache for a generation of `definition`, if it asks for one.
  func responseCache(for definition: DeploymentDefinition) -> ResponseCache? {
    definition.cache.map { ResponseCache(policy: $0, counters: metrics.cacheCounters(deployment: definition.name)) }
  }

  /// Publishes `deployment` unless a newer generation is already serving; a rollout state
  /// that changed starts a fresh interval and reaches the watchers.
  func install(_ deployment: LiveDeployment) {
    let name = deployment.definition.name
    let installed = live.withLock { live -> Bool in
      if let current = live[name], current.definition.generation > deployment.definition.generation { return false }
      live[name] = deployment
      return true
    }
    guard installed else { return }
    _ = unloaded.withLock { $0.removeValue(forKey: name) }
    intervalStarted.withLock { $0[name] = clock() }
    stats.reset(deployment: name)
    watchers.publish(deployment.rollout)
  }

  /// Brings the served state in line with storage: at start-up every stored deployment is
  /// loaded (a rollout resumes at its stored step), and afterwards a change another replica
  /// sharing the database made — a new generation, a rollout decision, a deletion — is
  /// followed. Returns how many stored deployments cannot be loaded yet.
  public func refresh() async throws -> Int {
    var stored: [DeploymentDefinition] = []
    var after = ""
    while true {
      let page = try await store.deployments(after: after, limit: 100)
      stored += page
      guard let last = page.last, page.count == 100 else { break }
      after = last.name
    }
    let names = Set(stored.map(\.name))
    // A deployment deleted elsewhere stops serving here; one that never loaded stops saying
    // "not loaded yet" (it would have answered UNAVAILABLE forever instead of NOT_FOUND).
    let known = Set(live.withLock { Array($0.keys) }).union(unloaded.withLock { Array($0.keys) })
    for gone in known where !names.contains(gone) {
      try await decisions.withLock {
        guard try await store.deployment(gone) == nil else { return }
        _ = live.withLock { $0.removeValue(forKey: gone) }
        _ = unloaded.withLock { $0.removeValue(forKey: gone) }
        watchers.finish(gone)
      }
    }
    for definition in stored { await follow(definition) }
    return unloaded.withLock { $0.count }
  }

  /// Loads `definition` when it is not served at its generation, or adopts a newer stored
  /// rollout decision; a failure to load is recorded for ``serving(_:)`` to report.
  private func follow(_ definition: DeploymentDefinition) async {
    do {
      let saved = try await store.rollout(definition.name).flatMap { $0.generation == definition.generation ? $0 : nil }
      let current = live.withLock { $0[definition.name] }
      if let current, current.definition.generation == definition.generation {
        guard let saved, saved.updatedTime > current.rollout.updatedTime else { return }
        try await decisions.withLock {
          guard let now = self.live.withLock({ $0[definition.name] }), now.rollout.updatedTime < saved.updatedTime else { return }
          self.install(now.with(saved))
        }
        return
      }
      guard current.map({ $0.definition.generation < definition.generation }) ?? true else { return }
      let loaded = try await load(definition, field: "deployment", resolving: false)
      var rollout = saved ?? RolloutState.stable(definition)
      if saved == nil, definition.canaryVariant != nil, let policy = definition.canary {
        rollout = .started(definition, policy: policy, at: clock())
      }
      let deployment = LiveDeployment(
        definition: definition, variants: loaded.variants, rollout: rollout, cache: responseCache(for: definition))
      // Loading took time: a deletion (or a newer generation) since the list was read wins.
      try await decisions.withLock {
        guard try await self.store.deployment(definition.name)?.generation == definition.generation else { return }
        self.install(deployment)
      }
    } catch {
      let reason = (error as? ServingError)?.rpcErrorMessage ?? "\(error)"
      let first = unloaded.withLock { $0.updateValue(reason, forKey: definition.name) == nil }
      if first { logger.warning("deployment not loaded", metadata: ["deployment": "\(definition.name)", "reason": "\(reason)"]) }
    }
  }
}
