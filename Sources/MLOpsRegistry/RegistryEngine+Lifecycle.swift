/// Aliases, stages and reviews: how a version moves towards serving.
extension RegistryEngine {
  static func validateAlias(_ alias: String) throws {
    try validateName(alias, field: "alias")
    if alias == "latest" || (alias.first == "v" && Int(alias.dropFirst()) != nil) {
      throw RegistryError.invalidArgument(field: "alias", reason: "'\(alias)' is reserved (it reads as a version reference)")
    }
  }

  /// Points `alias` at `version`, moving it if it pointed elsewhere.
  public func setAlias(name: String, alias: String, version: Int64, actor: String) async throws {
    try Self.validateName(name)
    try Self.validateAlias(alias)
    try Self.validateVersion(version)
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.modify(name: name, scope: .version(version)) { aggregate in
      _ = try Self.version(version, of: aggregate)
      let before = aggregate.model.aliases[alias]
      aggregate.model.aliases[alias] = version
      aggregate.model.lastUpdatedTime = now
      return (
        (),
        [
          AuditRecord(
            time: now, actor: actor, action: "SetAlias", modelName: name, version: version, eventType: .aliasSet, alias: alias,
            before: before.map { RegistryCoding.encode([alias: $0]) } ?? "", after: RegistryCoding.encode([alias: version]))
        ]
      )
    }
  }

  public func deleteAlias(name: String, alias: String, actor: String) async throws {
    try Self.validateName(name)
    try Self.validateName(alias, field: "alias")
    let now = clock()
    let actor = Self.actorName(actor)
    try await models.modify(name: name, scope: .modelOnly) { aggregate in
      guard let version = aggregate.model.aliases.removeValue(forKey: alias) else {
        throw RegistryError.aliasNotFound(model: name, alias: alias)
      }
      aggregate.model.lastUpdatedTime = now
      return (
        (),
        [
          AuditRecord(
            time: now, actor: actor, action: "DeleteAlias", modelName: name, version: version, eventType: .aliasDeleted, alias: alias,
            before: RegistryCoding.encode([alias: version]))
        ]
      )
    }
  }

  public func version(name: String, alias: String) async throws -> VersionDetails {
    try Self.validateName(name)
    try Self.validateName(alias, field: "alias")
    guard let aggregate = try await models.load(name: name, scope: VersionScope(alias: alias)) else {
      throw RegistryError.modelNotFound(name)
    }
    guard let number = aggregate.model.aliases[alias], let details = aggregate.details(number) else {
      throw RegistryError.aliasNotFound(model: name, alias: alias)
    }
    return details
  }

  /// Moves a version to `stage`; with `archiveExisting`, the versions already there move to
  /// Archived in the same transaction (each with its own event).
  public func transition(name: String, version: Int64, to stage: Stage, archiveExisting: Bool, actor: String) async throws -> VersionDetails
  {
    try Self.validateName(name)
    try Self.validateVersion(version)
    let now = clock()
    let actor = Self.actorName(actor)
    return try await models.modify(name: name, scope: VersionScope(numbers: [version], stages: [stage])) { aggregate in
      let current = try Self.version(version, of: aggregate)
      var events: [AuditRecord] = []
      func move(_ number: Int64, to target: Stage) {
        let before = aggregate.versions[number]!
        var after = before
        after.stage = target
        after.lastUpdatedTime = now
        aggregate.versions[number] = after
        events.append(
          AuditRecord(
            time: now, actor: actor, action: "TransitionStage", modelName: name, version: number, eventType: .stageChanged,
            stage: target, before: RegistryCoding.encode(["stage": before.stage.name]), after: RegistryCoding.encode(["stage": target.name])
          ))
      }
      if archiveExisting, stage == .staging || stage == .production {
        for other in aggregate.versions.values where other.stage == stage && other.version != current.version {
          move(other.version, to: .archived)
        }
      }
      move(version, to: stage)
      aggregate.model.lastUpdatedTime = now
      return (aggregate.details(version)!, events)
    }
  }

  /// Records a reviewer's decision; the reviewer is the caller's identity, never a field.
  public func review(name: String, version: Int64, decision: ReviewDecision?, comment: String, actor: String) async throws -> VersionDetails
  {
    guard !actor.isEmpty else {
      throw RegistryError.unauthenticated("a review needs the reviewer's identity (x-mlops-actor, set by the gateway from the API key)")
    }
    guard let decision else { throw RegistryError.invalidArgument(field: "decision", reason: "must be APPROVE or REJECT") }
    let now = clock()
    return try await changeVersion(name: name, version: version, action: "ReviewModelVersion", actor: actor, eventType: .reviewed) {
      record in
      record.reviews.append(Review(reviewer: actor, decision: decision, comment: comment, time: now))
    }
  }
}
