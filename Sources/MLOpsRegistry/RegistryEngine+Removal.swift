/// Renaming and deleting: what may go, and what must be moved or forced first.
extension RegistryEngine {
  /// Renames a model; its versions, aliases and audit history follow (they hang off the
  /// model's id, not its name).
  public func renameModel(name: String, newName: String, actor: String) async throws -> ModelDetails {
    try Self.validateName(name)
    try Self.validateName(newName, field: "new_name")
    let now = clock()
    let actor = Self.actorName(actor)
    return try await models.modify(name: name, scope: VersionScope(latestPerStage: true)) { aggregate in
      aggregate.model.name = newName
      aggregate.model.lastUpdatedTime = now
      return (
        aggregate.details,
        [
          AuditRecord(
            time: now, actor: actor, action: "RenameRegisteredModel", modelName: newName, eventType: .modelRenamed,
            before: RegistryCoding.encode(["name": name]), after: RegistryCoding.encode(["name": newName]))
        ]
      )
    }
  }

  /// Deletes a model with its versions. Refused while an alias or a Production version would
  /// vanish from under a deployment, unless `force`.
  public func deleteModel(name: String, force: Bool, actor: String) async throws {
    try Self.validateName(name)
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.delete(name: name, scope: VersionScope(stages: [.production])) { aggregate in
      if !force {
        if let alias = aggregate.model.aliases.keys.sorted().first {
          throw RegistryError.failedPrecondition(
            field: "force", reason: "alias '\(alias)' still points at a version; delete it first or pass force")
        }
        if let live = aggregate.versions.values.filter({ $0.stage == .production }).map(\.version).min() {
          throw RegistryError.failedPrecondition(field: "force", reason: "version \(live) is in Production; archive it first or pass force")
        }
      }
      return AuditRecord(
        time: now, actor: actor, action: "DeleteRegisteredModel", modelName: name, eventType: .modelDeleted,
        before: RegistryCoding.encode(aggregate.model))
    }
  }

  /// Deletes one version; refused while an alias points at it or it is in Production. Its
  /// number is never reused.
  public func deleteVersion(name: String, version: Int64, actor: String) async throws {
    try Self.validateName(name)
    try Self.validateVersion(version)
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.modify(name: name, scope: .version(version)) { aggregate in
      let record = try Self.version(version, of: aggregate)
      if let alias = aggregate.aliases(of: version).first {
        throw RegistryError.failedPrecondition(
          field: "version", reason: "alias '\(alias)' points at version \(version); move or delete it first")
      }
      if record.stage == .production {
        throw RegistryError.failedPrecondition(field: "version", reason: "version \(version) is in Production; archive it first")
      }
      aggregate.versions[version] = nil
      aggregate.model.lastUpdatedTime = now
      return (
        (),
        [
          AuditRecord(
            time: now, actor: actor, action: "DeleteModelVersion", modelName: name, version: version, eventType: .versionDeleted,
            before: RegistryCoding.audit(record))
        ]
      )
    }
  }
}
