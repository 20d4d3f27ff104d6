import MLOpsCore

/// Storage of the registry's one aggregate, the registered model with its versions, written
/// once for SQLite and PostgreSQL on ``SQLExecutor``. Every mutation is `modify`: load the
/// aggregate under a write lock, apply a pure change, store what changed and append its audit
/// events — all in one transaction, so a rejected change writes nothing and the audit trail
/// never disagrees with the state. On PostgreSQL the model row is locked first, so concurrent
/// changes to one model (from any replica) apply one after another; SQLite's one writer does
/// the same by itself.
public struct ModelRepository: Sendable {
  let sql: any SQLExecutor
  let documents = DocumentCache()

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// - Throws: `RegistryError.modelNameTaken`.
  public func create(_ model: RegisteredModelRecord, event: AuditRecord) async throws {
    try await Self.namingModel(model.name) {
      try await sql.transaction { c in
        try await Self.requireFree(model.name, c)
        let id =
          try await c.first(
            "INSERT INTO registered_models (name, doc, last_updated_time) VALUES (?, ?, ?) RETURNING model_id",
            [.text(model.name), .text(try RegistryCoding.encode(model)), .int(model.lastUpdatedTime)])?[0].int ?? 0
        try await append([event], modelID: id, c)
      }
    }
  }

  /// - Throws: `RegistryError.modelNotFound`, or whatever `change` throws (then nothing is stored).
  /// The aggregate handed to `change` holds the versions `scope` selects; versions it adds are
  /// inserted, versions it removes (of those loaded) deleted.
  public func modify<Result: Sendable>(
    name: String, scope: VersionScope, _ change: @Sendable (inout ModelAggregate) throws -> (Result, [AuditRecord])
  ) async throws -> Result {
    try await sql.transaction { c in
      guard let (id, before) = try await load(name: name, scope: scope, c, lock: true) else { throw RegistryError.modelNotFound(name) }
      var after = before
      let (result, events) = try change(&after)
      if after.model != before.model {
        if after.model.name != before.model.name { try await Self.requireFree(after.model.name, c) }
        try await c.execute(
          "UPDATE registered_models SET name = ?, doc = ?, last_updated_time = ? WHERE model_id = ?",
          [.text(after.model.name), .text(try RegistryCoding.encode(after.model)), .int(after.model.lastUpdatedTime), .int(id)])
      }
      for (number, version) in after.versions where before.versions[number] != version {
        try await c.execute(
          """
          INSERT INTO model_versions (model_id, version, run_id, stage, doc) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (model_id, version) DO UPDATE SET run_id = excluded.run_id, stage = excluded.stage, doc = excluded.doc
          """,
          [.int(id), .int(number), .text(version.runID), .int(Int64(version.stage.rawValue)), .text(try RegistryCoding.encode(version))])
      }
      for number in before.versions.keys where after.versions[number] == nil {
        try await c.execute("DELETE FROM model_versions WHERE model_id = ? AND version = ?", [.int(id), .int(number)])
      }
      try await append(events, modelID: id, c)
      return result
    }
  }

  /// Deletes the model and its versions once `check` (given the locked aggregate) accepts,
  /// appending the event it returns. - Throws: `modelNotFound`, or what `check` throws.
  public func delete(name: String, scope: VersionScope, _ check: @Sendable (ModelAggregate) throws -> AuditRecord) async throws {
    try await sql.transaction { c in
      guard let (id, aggregate) = try await load(name: name, scope: scope, c, lock: true) else { throw RegistryError.modelNotFound(name) }
      let event = try check(aggregate)
      try await c.execute("DELETE FROM model_versions WHERE model_id = ?", [.int(id)])
      try await c.execute("DELETE FROM registered_models WHERE model_id = ?", [.int(id)])
      try await append([event], modelID: id, c)
    }
  }

  /// The model with the versions `scope` selects; nil when there is none. A point lookup (an
  /// alias resolved for every router start and every watch event), so it runs as one.
  public func load(name: String, scope: VersionScope) async throws -> ModelAggregate? {
    try await sql.lookup { c in try await load(name: name, scope: scope, c, lock: false)?.1 }
  }

  /// Every model with its versions, for search (registries hold thousands of models, not
  /// millions; filters on tags are evaluated on the decoded documents).
  public func all() async throws -> [ModelAggregate] {
    let documents = self.documents
    return try await sql.read { c in
      var models: [Int64: ModelAggregate] = [:]
      for row in try await c.query("SELECT model_id, doc FROM registered_models", []) {
        models[row[0].int] = ModelAggregate(model: try documents.model(row[1].text), versions: [:])
      }
      for row in try await c.query("SELECT model_id, doc FROM model_versions", []) {
        let version = try documents.version(row[1].text)
        models[row[0].int]?.versions[version.version] = version
      }
      return Array(models.values)
    }
  }

  /// The newest event's sequence, 0 when there is none.
  public func latestSequence() async throws -> Int64 {
    try await sql.read { c in try await c.first("SELECT COALESCE(MAX(sequence), 0) FROM registry_events", [])?[0].int ?? 0 }
  }
}
