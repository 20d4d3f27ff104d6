import MLOpsCore

/// Model versions: registration from a tracker run, reads, descriptions and tags.
extension RegistryEngine {
  /// What CreateModelVersion carries.
  public struct NewVersion: Sendable {
    public var runID: String
    public var format: String
    public var signature: Signature
    public var description: String
    public var tags: [(String, String)]
    public var remoteEndpoint: String
    /// Format "mlflow": the MLflow model URI.
    public var source: String

    public init(
      runID: String, format: String, signature: Signature, description: String, tags: [(String, String)], remoteEndpoint: String,
      source: String = ""
    ) {
      self.runID = runID
      self.format = format
      self.signature = signature
      self.description = description
      self.tags = tags
      self.remoteEndpoint = remoteEndpoint
      self.source = source
    }
  }

  /// "onnx" (uploaded, checked by the runtime, served), "remote" (served elsewhere) and
  /// "mlflow" (an MLflow model left in its run's artifacts: registered through MLflow's REST
  /// API, listed and staged like any version, not served by the router).
  public static let formats = ["onnx", "remote", "mlflow"]

  /// Registers the next version (1, 2, 3… with no gaps: numbered inside the model's write
  /// lock). The run is checked with the tracker first, so a missing run or an unreachable
  /// tracker writes nothing.
  public func createVersion(name: String, _ new: NewVersion, actor: String) async throws -> VersionDetails {
    try Self.validateName(name)
    let tags = try Self.validateTags(new.tags)
    try Self.validate(new)
    // An unknown model is NOT_FOUND whether or not the tracker is reachable.
    guard try await models.load(name: name, scope: .modelOnly) != nil else { throw RegistryError.modelNotFound(name) }
    guard let snapshot = try await runs.run(id: new.runID) else {
      throw RegistryError.failedPrecondition(field: "run_id", reason: "the tracker has no run '\(new.runID)'")
    }
    guard !snapshot.deleted else {
      throw RegistryError.failedPrecondition(field: "run_id", reason: "run '\(new.runID)' is deleted")
    }
    let now = clock()
    let actor = Self.actorName(actor)
    // Only the model document loads: the next number comes from it, not from the versions.
    return try await models.modify(name: name, scope: .modelOnly) { aggregate in
      let number = aggregate.model.highestVersion + 1
      aggregate.model.highestVersion = number
      // Nothing to upload: a remote model is served elsewhere, an MLflow model's files are the run's.
      let remote = new.format == "remote" || new.format == "mlflow"
      let record = ModelVersionRecord(
        version: number, creationTime: now, lastUpdatedTime: now, description: new.description, runID: new.runID,
        format: new.format, stage: .none, status: remote ? .ready : .pendingRegistration, statusMessage: "",
        contentDigest: "", sizeBytes: 0, signature: new.signature, tags: tags, runMetrics: snapshot.metrics,
        runParams: snapshot.params, reviews: [], createdBy: actor, remoteEndpoint: new.remoteEndpoint,
        source: new.format == "mlflow" ? new.source : nil)
      aggregate.versions[number] = record
      aggregate.model.lastUpdatedTime = now
      var events = [
        AuditRecord(
          time: now, actor: actor, action: "CreateModelVersion", modelName: name, version: number,
          eventType: .versionCreated, after: RegistryCoding.audit(record))
      ]
      if remote {
        events.append(
          AuditRecord(time: now, actor: actor, action: "CreateModelVersion", modelName: name, version: number, eventType: .versionReady))
      }
      return (aggregate.details(number)!, events)
    }
  }

  static func validate(_ new: NewVersion) throws {
    guard !new.runID.isEmpty else {
      throw RegistryError.invalidArgument(field: "run_id", reason: "must name the tracker run that produced the model")
    }
    guard formats.contains(new.format) else {
      throw RegistryError.invalidArgument(field: "format", reason: "'\(new.format)' is not one of \(formats.joined(separator: ", "))")
    }
    if new.format == "remote", PeerAddress(argument: new.remoteEndpoint) == nil {
      throw RegistryError.invalidArgument(field: "remote_endpoint", reason: "must be host:port for a remote model")
    }
    guard (new.format == "mlflow") == !new.source.isEmpty else {
      throw RegistryError.invalidArgument(
        field: "source",
        reason: new.format == "mlflow" ? "must name the MLflow model (runs:/<run_id>/<path>)" : "is only for format 'mlflow'")
    }
    try SignatureCheck.validate(new.signature)
  }

  /// Applies `change` to one version and records it with the version before and after.
  func changeVersion(
    name: String, version: Int64, action: String, actor: String, eventType: ModelEventType? = nil,
    _ change: @escaping @Sendable (inout ModelVersionRecord) throws -> Void
  ) async throws -> VersionDetails {
    try Self.validateName(name)
    try Self.validateVersion(version)
    let now = clock()
    let actor = Self.actorName(actor)
    return try await models.modify(name: name, scope: .version(version)) { aggregate in
      let before = try Self.version(version, of: aggregate)
      var after = before
      try change(&after)
      after.lastUpdatedTime = now
      aggregate.versions[version] = after
      aggregate.model.lastUpdatedTime = now
      let event = AuditRecord(
        time: now, actor: actor, action: action, modelName: name, version: version, eventType: eventType,
        stage: eventType == .stageChanged ? after.stage : nil, before: RegistryCoding.audit(before), after: RegistryCoding.audit(after))
      return (aggregate.details(version)!, [event])
    }
  }

  public func version(name: String, version: Int64) async throws -> VersionDetails {
    try Self.validateName(name)
    try Self.validateVersion(version)
    guard let aggregate = try await models.load(name: name, scope: .version(version)) else { throw RegistryError.modelNotFound(name) }
    _ = try Self.version(version, of: aggregate)
    return aggregate.details(version)!
  }

  public func updateVersion(name: String, version: Int64, description: String, actor: String) async throws -> VersionDetails {
    try await changeVersion(name: name, version: version, action: "UpdateModelVersion", actor: actor) { record in
      record.description = description
    }
  }

  public func setVersionTag(name: String, version: Int64, key: String, value: String, actor: String) async throws {
    try Self.validateTag(key: key, value: value, field: "tag")
    _ = try await changeVersion(name: name, version: version, action: "SetModelVersionTag", actor: actor) { record in
      record.tags[key] = value
    }
  }

  /// Removes a version tag; a missing key changes nothing.
  public func deleteVersionTag(name: String, version: Int64, key: String, actor: String) async throws {
    try Self.validateTag(key: key, value: "", field: "tag")
    _ = try await changeVersion(name: name, version: version, action: "DeleteModelVersionTag", actor: actor) { record in
      record.tags[key] = nil
    }
  }
}
