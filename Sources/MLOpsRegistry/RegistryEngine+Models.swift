/// A version as GetModelVersion shows it: its record, its model's name and its aliases.
public struct VersionDetails: Sendable, Equatable {
  public var modelName: String
  public var record: ModelVersionRecord
  public var aliases: [String]
}

/// A model as GetRegisteredModel shows it: the newest version in each stage beside it.
public struct ModelDetails: Sendable, Equatable {
  public var record: RegisteredModelRecord
  public var latestVersions: [VersionDetails]
}

extension ModelAggregate {
  func details(_ number: Int64) -> VersionDetails? {
    versions[number].map { VersionDetails(modelName: model.name, record: $0, aliases: aliases(of: number)) }
  }

  var details: ModelDetails {
    let latest = Stage.allCases.compactMap { stage in
      versions.values.filter { $0.stage == stage }.max { $0.version < $1.version }.flatMap { details($0.version) }
    }
    return ModelDetails(record: model, latestVersions: latest)
  }
}

/// Registered models: create, read, describe, tag.
extension RegistryEngine {
  public func createModel(name: String, description: String, tags: [(String, String)], actor: String) async throws -> ModelDetails {
    try Self.validateName(name)
    let tags = try Self.validateTags(tags)
    let now = clock()
    let record = RegisteredModelRecord(name: name, description: description, creationTime: now, tags: tags)
    try await models.create(
      record,
      event: AuditRecord(
        time: now, actor: Self.actorName(actor), action: "CreateRegisteredModel", modelName: name,
        after: RegistryCoding.encode(record)))
    return ModelDetails(record: record, latestVersions: [])
  }

  public func model(name: String) async throws -> ModelDetails {
    try Self.validateName(name)
    guard let aggregate = try await models.load(name: name, scope: VersionScope(latestPerStage: true)) else {
      throw RegistryError.modelNotFound(name)
    }
    return aggregate.details
  }

  public func updateModel(name: String, description: String, actor: String) async throws -> ModelDetails {
    try Self.validateName(name)
    let now = clock()
    let actor = Self.actorName(actor)
    return try await models.modify(name: name, scope: VersionScope(latestPerStage: true)) { aggregate in
      let before = aggregate.model
      aggregate.model.description = description
      aggregate.model.lastUpdatedTime = now
      return (
        aggregate.details,
        [
          AuditRecord(
            time: now, actor: actor, action: "UpdateRegisteredModel", modelName: name,
            before: RegistryCoding.encode(["description": before.description]), after: RegistryCoding.encode(["description": description]))
        ]
      )
    }
  }

  /// Removes a model tag; a key the model does not have changes nothing and records nothing,
  /// as in MLflow's registry.
  public func deleteModelTag(name: String, key: String, actor: String) async throws {
    try Self.validateName(name)
    try Self.validateTag(key: key, value: "", field: "tag")
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.modify(name: name, scope: .modelOnly) { aggregate in
      guard let before = aggregate.model.tags.removeValue(forKey: key) else { return ((), []) }
      aggregate.model.lastUpdatedTime = now
      return (
        (),
        [
          AuditRecord(
            time: now, actor: actor, action: "DeleteRegisteredModelTag", modelName: name,
            before: RegistryCoding.encode([key: before]), after: "")
        ]
      )
    }
  }

  public func setModelTag(name: String, key: String, value: String, actor: String) async throws {
    try Self.validateName(name)
    try Self.validateTag(key: key, value: value, field: "tag")
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.modify(name: name, scope: .modelOnly) { aggregate in
      let before = aggregate.model.tags[key]
      aggregate.model.tags[key] = value
      aggregate.model.lastUpdatedTime = now
      return (
        (),
        [
          AuditRecord(
            time: now, actor: actor, action: "SetRegisteredModelTag", modelName: name,
            before: before.map { RegistryCoding.encode([key: $0]) } ?? "", after: RegistryCoding.encode([key: value]))
        ]
      )
    }
  }
}
