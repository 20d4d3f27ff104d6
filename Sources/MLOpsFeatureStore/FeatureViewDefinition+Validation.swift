/// What ApplyFeatureView accepts, and which changes to an existing view need `force`.
extension FeatureViewDefinition {
  /// Checks the view and resolves its join keys from `entities`.
  /// - Throws: INVALID_ARGUMENT or NOT_FOUND naming `feature_view.<field>`.
  mutating func validate(entities known: [String: EntityDefinition]) throws {
    try Naming.check(name, field: "feature_view.name")
    guard !entities.isEmpty else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.entities", reason: "name at least one entity")
    }
    guard Set(entities).count == entities.count else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.entities", reason: "an entity is listed twice")
    }
    joinKeys = try entities.enumerated().map { index, entity in
      guard let found = known[entity] else {
        throw FeatureStoreError.notFound(field: "feature_view.entities[\(index)]", reason: "entity '\(entity)' does not exist")
      }
      return JoinKey(name: found.joinKey, type: found.valueType)
    }
    guard Set(joinKeys.map(\.name)).count == joinKeys.count else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.entities", reason: "two entities share a join key")
    }
    try validateFeatures()
    try DefinitionLimits.check(description: description, tags: tags, field: "feature_view")
    guard owner.utf8.count <= 256 else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.owner", reason: "is longer than 256 bytes")
    }
    guard ttlMicroseconds >= 0 else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.ttl", reason: "must not be negative")
    }
  }

  private func validateFeatures() throws {
    guard !features.isEmpty else {
      throw FeatureStoreError.invalidArgument(field: "feature_view.features", reason: "declare at least one feature")
    }
    guard features.count <= DefinitionLimits.features else {
      throw FeatureStoreError.invalidArgument(
        field: "feature_view.features", reason: "has \(features.count) features; at most \(DefinitionLimits.features)")
    }
    var seen = Set(joinKeys.map(\.name))
    for (index, feature) in features.enumerated() {
      try Naming.check(feature.name, field: "feature_view.features[\(index)].name")
      try DefinitionLimits.check(description: feature.description, tags: feature.tags, field: "feature_view.features[\(index)]")
      guard seen.insert(feature.name).inserted else {
        throw FeatureStoreError.invalidArgument(
          field: "feature_view.features[\(index)].name", reason: "'\(feature.name)' is declared twice or is a join key")
      }
    }
  }

  /// Why replacing `old` with this definition would change what stored rows mean (a feature's
  /// type, the view's key), or nil when it is compatible (features added, removed, renamed
  /// metadata, TTL, flags).
  func incompatibility(with old: FeatureViewDefinition) -> (field: String, reason: String)? {
    if joinKeys != old.joinKeys {
      return ("feature_view.entities", "changes the view's key from \(old.entities) to \(entities); stored rows would be unreachable")
    }
    for (index, feature) in features.enumerated() {
      if let previous = old.features.first(where: { $0.name == feature.name }), previous.type != feature.type {
        return ("feature_view.features[\(index)].type", "changes '\(feature.name)' from \(previous.type.name) to \(feature.type.name)")
      }
    }
    return nil
  }
}
