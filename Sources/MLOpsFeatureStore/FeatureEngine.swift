import Foundation
import Logging
import Synchronization

/// The feature store's logic, free of generated types: definitions, validation of pushed rows,
/// the online store, point-in-time joins, materialization and consistency checks.
public final class FeatureEngine: Sendable {
  let repository: FeatureRepository
  let online: OnlineStore
  let logger: Logger
  /// Epoch microseconds; tests pin it to make TTLs deterministic.
  let clock: @Sendable () -> Int64
  private let definitions: Mutex<FeatureCatalog>
  /// The last change number of the online table applied to memory.
  private let followed = Mutex<Int64>(0)
  /// Change numbers a follower applies per step: bounds the rows one step reads.
  static let changesPerStep: Int64 = 64

  /// Most entity rows one online read may ask for, and rows one push may carry.
  public static let maxEntityRows = 10_000
  public static let maxPushRows = 100_000

  init(repository: FeatureRepository, catalog: FeatureCatalog, logger: Logger, clock: @escaping @Sendable () -> Int64) {
    self.repository = repository
    self.online = OnlineStore()
    self.logger = logger
    self.clock = clock
    self.definitions = Mutex(catalog)
  }

  /// The engine over `repository`, with its definitions and every online row loaded.
  public static func open(
    repository: FeatureRepository, logger: Logger,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
  ) async throws -> FeatureEngine {
    let engine = FeatureEngine(repository: repository, catalog: try await repository.catalog(), logger: logger, clock: clock)
    // Taken before the rows are loaded: a change committed meanwhile is applied again later,
    // which the supersede rule makes harmless.
    let last = try await repository.lastChange()
    engine.followed.withLock { $0 = last }
    for view in engine.catalog.views.values {
      try await engine.loadOnline(view)
    }
    return engine
  }

  func loadOnline(_ view: FeatureViewDefinition) async throws {
    let rows = try await repository.scanOnline(view: view.name, into: [String: StoredRow]()) { $0[$1.entity] = $1 }
    online.load(view: view.name, rows)
  }

  /// The definitions as last committed through this process (or refreshed).
  public var catalog: FeatureCatalog { definitions.withLock { $0 } }

  func adopt(_ catalog: FeatureCatalog) {
    definitions.withLock { $0 = catalog }
  }

  /// The view named `name`. A name this process does not know is looked up again in the
  /// database, so a view applied through another replica is found.
  /// - Throws: NOT_FOUND naming `field`.
  func view(_ name: String, field: String) async throws -> FeatureViewDefinition {
    if let view = catalog.views[name] { return view }
    try await refresh()
    guard let view = catalog.views[name] else {
      throw FeatureStoreError.notFound(field: field, reason: "feature view '\(name)' does not exist")
    }
    return view
  }

  /// Applies online rows committed since the last call (through any replica), a bounded
  /// number of transactions at a time, then re-reads the definitions.
  public func followChanges() async throws {
    let last = try await repository.lastChange()
    var seen = followed.withLock { $0 }
    while seen < last {
      let through = min(last, seen + Self.changesPerStep)
      var byView: [String: [StoredRow]] = [:]
      for (view, row) in try await repository.onlineChanges(after: seen, through: through) { byView[view, default: []].append(row) }
      for (view, rows) in byView where catalog.views[view] != nil { online.apply(view: view, rows) }
      seen = through
      followed.withLock { $0 = max($0, through) }
    }
    try await refresh()
  }

  /// Re-reads the definitions; views this process had not seen get their online rows loaded.
  func refresh() async throws {
    let fresh = try await repository.catalog()
    let known = catalog.views
    for view in fresh.views.values where known[view.name] != view {
      try await loadOnline(view)
    }
    adopt(fresh)
  }
}
