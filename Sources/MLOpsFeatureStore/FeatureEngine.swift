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
  /// The catalog, and a generation bumped by every change to it, so a refresh that read the
  /// database before a local change does not put the older definitions back.
  private let definitions: Mutex<(catalog: FeatureCatalog, generation: Int)>
  /// The last change number of the online table applied to memory.
  private let followed = Mutex<Int64>(0)
  /// Change numbers this process committed and already applied, which the follower skips
  /// (on a single replica, it then reads no rows at all).
  private let own = Mutex<Set<Int64>>([])
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
    self.definitions = Mutex((catalog, 0))
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
    online.load(view: view.name, try await repository.onlineRows(view: view.name))
  }

  /// The definitions as last committed through this process (or refreshed).
  public var catalog: FeatureCatalog { definitions.withLock { $0.catalog } }

  /// Takes a catalog this process just committed.
  func adopt(_ catalog: FeatureCatalog) {
    definitions.withLock { $0 = (catalog, $0.generation + 1) }
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

  /// Records a change this process committed and applied to memory.
  func applied(_ change: Int64) {
    _ = own.withLock { $0.insert(change) }
  }

  /// Applies online rows committed since the last call (through any replica), a bounded
  /// number of transactions at a time, then re-reads the definitions.
  public func followChanges() async throws {
    let last = try await repository.lastChange()
    var seen = followed.withLock { $0 }
    while seen < last {
      let through = min(last, seen + Self.changesPerStep)
      let mine = own.withLock { own in
        let range = (seen + 1)...through
        defer { own = own.filter { $0 > through } }
        return Set(own.filter(range.contains))
      }
      if mine.count < Int(through - seen) {
        var byView: [String: [StoredRow]] = [:]
        for (view, row, change) in try await repository.onlineChanges(after: seen, through: through) where !mine.contains(change) {
          byView[view, default: []].append(row)
        }
        for (view, rows) in byView where catalog.views[view] != nil { online.apply(view: view, rows) }
      }
      // A refresh that reloaded a view may have moved the mark back meanwhile: keep its mark.
      let advanced = followed.withLock { mark -> Bool in
        guard mark == seen else { return false }
        mark = through
        return true
      }
      guard advanced else { break }
      seen = through
    }
    try await refresh()
  }

  /// Re-reads the definitions: views this process had not seen (or that changed) get their
  /// online rows reloaded, and views deleted elsewhere are dropped from memory. Nothing is
  /// taken if a local change landed meanwhile (the next refresh sees it in the database).
  func refresh() async throws {
    let generation = definitions.withLock { $0.generation }
    let fresh = try await repository.catalog()
    let known = catalog.views
    let changed = fresh.views.values.filter { known[$0.name] != $0 }
    // Rows committed after this number may be missing from the reload: the follower applies
    // them again from here.
    let before = try await repository.lastChange()
    var reloaded: [(String, [String: StoredRow])] = []
    for view in changed {
      reloaded.append((view.name, try await repository.onlineRows(view: view.name)))
    }
    let online = self.online
    let taken = definitions.withLock { current -> Bool in
      guard current.generation == generation else { return false }
      for (name, rows) in reloaded { online.load(view: name, rows) }
      for name in known.keys where fresh.views[name] == nil { online.remove(view: name) }
      current = (fresh, generation + 1)
      return true
    }
    if taken, !reloaded.isEmpty {
      // A local write may have landed between the snapshot and the reload: apply everything
      // since the snapshot again, this process's own changes included.
      own.withLock { $0.removeAll() }
      followed.withLock { $0 = min($0, before) }
    }
  }
}
