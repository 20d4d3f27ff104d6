import Foundation
import MLOpsCore

/// The feature server's storage, written once for SQLite and PostgreSQL on ``SQLExecutor``.
/// Definitions change inside transactions that re-read what they depend on, so the database,
/// not a replica's memory, decides whether a change is allowed.
public struct FeatureRepository: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// Everything defined, for the in-memory catalog.
  public func catalog() async throws -> FeatureCatalog {
    try await sql.read { c in try await Self.catalog(c) }
  }

  static func catalog(_ c: any SQLConnection) async throws -> FeatureCatalog {
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
      let (edit, result) = try change(try await Self.catalog(c))
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
