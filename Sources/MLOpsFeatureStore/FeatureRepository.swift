import Foundation
import MLOpsCore
import Synchronization

/// The feature server's storage, written once for SQLite and PostgreSQL on ``SQLExecutor``.
/// Definitions change inside transactions that re-read what they depend on, so the database,
/// not a replica's memory, decides whether a change is allowed.
public struct FeatureRepository: Sendable {
  let sql: any SQLExecutor
  /// The last catalog decoded, with the version it was stored at (shared by copies).
  private let decoded = DecodedCatalog()

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// Everything defined, for the in-memory catalog; decoded again only when a definition
  /// changed since the last time.
  public func catalog() async throws -> FeatureCatalog {
    try await sql.read { c in
      let version = try await c.first("SELECT version FROM catalog_version WHERE id = 1", [])?[0].int ?? 0
      return try await catalog(c, version: version)
    }
  }

  /// The catalog stored at `version`, from memory when it was decoded at that version.
  private func catalog(_ c: any SQLConnection, version: Int64) async throws -> FeatureCatalog {
    if let known = decoded.last.withLock({ $0 }), known.version == version { return known.catalog }
    let catalog = try await Self.decode(c)
    decoded.last.withLock { $0 = (version, catalog) }
    return catalog
  }

  static func decode(_ c: any SQLConnection) async throws -> FeatureCatalog {
    var catalog = FeatureCatalog()
    for row in try await c.query("SELECT doc FROM entities", []) {
      let entity = try row[0].decoded(EntityDefinition.self)
      catalog.entities[entity.name] = entity
    }
    for row in try await c.query("SELECT doc FROM feature_views", []) {
      let view = try row[0].decoded(FeatureViewDefinition.self)
      catalog.views[view.name] = view
    }
    for row in try await c.query("SELECT doc FROM feature_services", []) {
      let service = try row[0].decoded(FeatureServiceDefinition.self)
      catalog.services[service.name] = service
    }
    return catalog
  }

  /// Runs `change` on the stored catalog in one transaction and stores what it returns.
  /// `change` throws to refuse (nothing is written).
  public func modify<Result: Sendable>(
    _ change: @Sendable @escaping (FeatureCatalog) throws -> (CatalogChange, Result)
  ) async throws -> Result {
    try await sql.transaction { c in
      // Taking the next version first locks it: changes made by replicas sharing the
      // database run one after another, each on the catalog the previous one committed.
      let next = try await c.query("UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version", [])[0][0].int ?? 0
      let (edit, result) = try change(try await catalog(c, version: next - 1))
      try await Self.store(edit, c)
      return result
    }
  }

  static func store(_ edit: CatalogChange, _ c: any SQLConnection) async throws {
    let upsert = "ON CONFLICT (name) DO UPDATE SET doc = excluded.doc"
    for entity in edit.entities {
      try await c.execute("INSERT INTO entities (name, doc) VALUES (?, ?) \(upsert)", [.text(entity.name), try .json(entity)])
    }
    for view in edit.views {
      try await c.execute("INSERT INTO feature_views (name, doc) VALUES (?, ?) \(upsert)", [.text(view.name), try .json(view)])
    }
    for service in edit.services {
      try await c.execute(
        "INSERT INTO feature_services (name, doc) VALUES (?, ?) \(upsert)", [.text(service.name), try .json(service)])
    }
    for name in edit.clearedViews {
      for table in ["offline_rows", "online_rows", "watermarks"] {
        try await c.execute("DELETE FROM \(table) WHERE view_name = ?", [.text(name)])
      }
    }
    for name in edit.deletedViews {
      try await c.execute("DELETE FROM feature_views WHERE name = ?", [.text(name)])
    }
  }
}

/// The catalog a repository decoded last, kept across calls.
final class DecodedCatalog: Sendable {
  let last = Mutex<(version: Int64, catalog: FeatureCatalog)?>(nil)
}

/// What one definition change writes: documents to upsert, views whose stored rows go.
public struct CatalogChange: Sendable {
  var entities: [EntityDefinition] = []
  var views: [FeatureViewDefinition] = []
  var services: [FeatureServiceDefinition] = []
  /// Views whose offline log, online rows and watermark are deleted (a deleted view, or a
  /// forced change of its key).
  var clearedViews: [String] = []
  var deletedViews: [String] = []

  static let none = CatalogChange()
}
