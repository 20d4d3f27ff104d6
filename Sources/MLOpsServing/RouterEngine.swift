import Foundation
import Logging
import MLOpsCore
import MLOpsRuntime
import Synchronization

/// The router's rules: deployments are validated, their models resolved with the registry,
/// downloaded (digest verified), loaded and only then stored and routed to; predictions pick
/// a variant by the deployment's split and run its model in-process. Knows no generated types.
public final class RouterEngine: Sendable {
  let store: DeploymentStore
  let cache: ModelCache
  let logger: Logger
  let clock: @Sendable () -> Int64
  let metrics: RouterMetrics
  private let live = Mutex<[String: LiveDeployment]>([:])
  /// Stored deployments whose models could not be loaded since the process started, with why.
  private let unloaded = Mutex<[String: String]>([:])

  public init(
    store: DeploymentStore, cache: ModelCache, logger: Logger, metrics: RouterMetrics = RouterMetrics(registry: nil),
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.store = store
    self.cache = cache
    self.logger = logger
    self.metrics = metrics
    self.clock = clock
  }

  /// Validates, loads every variant's model, then stores and serves the deployment.
  public func create(_ definition: DeploymentDefinition) async throws -> DeploymentDefinition {
    var definition = definition
    try definition.validate()
    guard try await store.deployment(definition.name) == nil else { throw ServingError.deploymentNameTaken(definition.name) }
    let loaded = try await load(definition, field: "deployment")
    var stored = loaded.definition
    stored.generation = 1
    stored.createdTime = clock()
    stored.updatedTime = stored.createdTime
    try await store.create(stored)
    install(LiveDeployment(definition: stored, variants: loaded.variants))
    return stored
  }

  /// Replaces variants and routing; the new models are loaded before anything changes, and
  /// the new generation takes over at once (in-flight predictions finish on the old one).
  public func update(_ definition: DeploymentDefinition, expectedGeneration: Int64) async throws -> DeploymentDefinition {
    var definition = definition
    try definition.validate()
    guard expectedGeneration >= 0 else { throw ServingError.invalidArgument(field: "expected_generation", reason: "must not be negative") }
    guard try await store.deployment(definition.name) != nil else { throw ServingError.deploymentNotFound(definition.name) }
    let loaded = try await load(definition, field: "deployment")
    let now = clock()
    let stored = try await store.replace(definition.name, expected: expectedGeneration) { current in
      var next = loaded.definition
      next.createdTime = current.createdTime
      next.updatedTime = max(now, current.createdTime)
      return next
    }
    install(LiveDeployment(definition: stored, variants: loaded.variants))
    return stored
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

  /// Stops serving and forgets the deployment.
  public func delete(_ name: String) async throws {
    try await store.delete(name)
    _ = live.withLock { $0.removeValue(forKey: name) }
    _ = unloaded.withLock { $0.removeValue(forKey: name) }
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

  /// Publishes `deployment` unless a newer generation is already serving.
  func install(_ deployment: LiveDeployment) {
    live.withLock { live in
      if let current = live[deployment.definition.name], current.definition.generation > deployment.definition.generation { return }
      live[deployment.definition.name] = deployment
    }
    _ = unloaded.withLock { $0.removeValue(forKey: deployment.definition.name) }
  }

  /// Loads every stored deployment (at start-up), recording the ones that cannot load yet.
  /// Returns how many are still unloaded.
  public func restore() async throws -> Int {
    var after = ""
    while true {
      let page = try await store.deployments(after: after, limit: 100)
      for stored in page where live.withLock({ $0[stored.name] }) == nil {
        do {
          let loaded = try await load(stored, field: "deployment", resolving: false)
          install(LiveDeployment(definition: stored, variants: loaded.variants))
        } catch {
          let reason = (error as? ServingError)?.rpcErrorMessage ?? "\(error)"
          unloaded.withLock { $0[stored.name] = reason }
          logger.warning("deployment not loaded", metadata: ["deployment": "\(stored.name)", "reason": "\(reason)"])
        }
      }
      guard let last = page.last, page.count == 100 else { break }
      after = last.name
    }
    return unloaded.withLock { $0.count }
  }
}
