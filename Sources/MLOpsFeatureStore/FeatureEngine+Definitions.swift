import Foundation

/// ApplyEntity, ApplyFeatureView, ApplyFeatureService, Get/List/Delete.
extension FeatureEngine {
  /// Creates or replaces an entity.
  /// - Throws: FAILED_PRECONDITION when a view uses it and its join key or type would change.
  public func apply(_ entity: EntityDefinition) async throws -> EntityDefinition {
    try entity.validate()
    let catalog = try await repository.modify { catalog -> (CatalogChange, FeatureCatalog) in
      if let old = catalog.entities[entity.name], old.joinKey != entity.joinKey || old.valueType != entity.valueType {
        let users = catalog.views.values.filter { $0.entities.contains(entity.name) }.map(\.name).sorted()
        if !users.isEmpty {
          throw FeatureStoreError.failedPrecondition(
            field: old.valueType != entity.valueType ? "entity.value_type" : "entity.join_key",
            reason: "entity '\(entity.name)' is used by feature views \(users); its key cannot change")
        }
      }
      var next = catalog
      next.entities[entity.name] = entity
      return (CatalogChange(entities: [entity]), next)
    }
    adopt(catalog)
    return entity
  }

  /// Creates a view or applies a new version of it; an identical definition changes nothing.
  /// - Returns: the stored view and whether it changed.
  /// - Throws: FAILED_PRECONDITION for an incompatible change without `force`.
  public func apply(_ proposed: FeatureViewDefinition, force: Bool) async throws -> (FeatureViewDefinition, Bool) {
    let now = clock()
    let (catalog, view, changed, cleared) = try await repository.modify { catalog in
      var view = proposed
      try view.validate(entities: catalog.entities)
      guard let old = catalog.views[view.name] else {
        (view.version, view.createdMicroseconds, view.updatedMicroseconds) = (1, now, now)
        var next = catalog
        next.views[view.name] = view
        return (CatalogChange(views: [view]), (next, view, true, false))
      }
      if view.userFacing == old.userFacing { return (.none, (catalog, old, false, false)) }
      let conflict = view.incompatibility(with: old)
      if let conflict, !force {
        throw FeatureStoreError.failedPrecondition(field: conflict.field, reason: conflict.reason + " (apply with force to replace)")
      }
      (view.version, view.createdMicroseconds, view.updatedMicroseconds) = (old.version + 1, old.createdMicroseconds, now)
      var next = catalog
      next.views[view.name] = view
      let clearsRows = view.joinKeys != old.joinKeys
      return (CatalogChange(views: [view], clearedViews: clearsRows ? [view.name] : []), (next, view, true, clearsRows))
    }
    if cleared { online.load(view: view.name, [:]) }
    adopt(catalog)
    return (view, changed)
  }

  /// Creates or replaces a feature service.
  /// - Throws: NOT_FOUND naming `feature_service.features[i]` for an unknown view or feature.
  public func apply(_ service: FeatureServiceDefinition) async throws -> FeatureServiceDefinition {
    try Naming.check(service.name, field: "feature_service.name")
    guard !service.features.isEmpty else {
      throw FeatureStoreError.invalidArgument(field: "feature_service.features", reason: "name at least one 'view:feature'")
    }
    let catalog = try await repository.modify { catalog -> (CatalogChange, FeatureCatalog) in
      for (index, reference) in service.features.enumerated() {
        _ = try catalog.resolve(reference, field: "feature_service.features[\(index)]")
      }
      var next = catalog
      next.services[service.name] = service
      return (CatalogChange(services: [service]), next)
    }
    adopt(catalog)
    return service
  }

  /// A view by name, looked up again in the database when this process does not know it.
  public func featureView(_ name: String) async throws -> FeatureViewDefinition {
    guard !name.isEmpty else { throw FeatureStoreError.invalidArgument(field: "name", reason: "is required") }
    return try await view(name, field: "name")
  }

  /// Views carrying every tag in `tags`, by name after `after`.
  public func featureViews(tags: [String: String], after: String, limit: Int) async throws -> [FeatureViewDefinition] {
    try await refresh()
    return catalog.views.values
      .filter { view in view.name > after && tags.allSatisfy { view.tags[$0.key] == $0.value } }
      .sorted { $0.name < $1.name }
      .prefix(limit).map { $0 }
  }

  /// Deletes a view with its online values, offline log and watermark.
  /// - Throws: FAILED_PRECONDITION while a feature service names it.
  public func deleteFeatureView(_ name: String) async throws {
    guard !name.isEmpty else { throw FeatureStoreError.invalidArgument(field: "name", reason: "is required") }
    let catalog = try await repository.modify { catalog -> (CatalogChange, FeatureCatalog) in
      guard catalog.views[name] != nil else {
        throw FeatureStoreError.notFound(field: "name", reason: "feature view '\(name)' does not exist")
      }
      let users = catalog.services(using: name)
      guard users.isEmpty else {
        throw FeatureStoreError.failedPrecondition(field: "name", reason: "feature services \(users) use feature view '\(name)'")
      }
      var next = catalog
      next.views[name] = nil
      return (CatalogChange(clearedViews: [name], deletedViews: [name]), next)
    }
    online.remove(view: name)
    adopt(catalog)
  }
}
