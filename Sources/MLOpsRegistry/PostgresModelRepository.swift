import Logging
import MLOpsCore
import PostgresNIO

/// The registry in PostgreSQL, shared by replicas. `modify` locks the model row first, so
/// concurrent changes to one model (from any replica) apply one after another; event
/// sequences come from one locked counter row, so they commit in order.
public struct PostgresModelRepository: ModelRepository {
  let database: PostgresStore
  let logger: Logger
  let documents = DocumentCache()

  public init(database: PostgresStore, logger: Logger) {
    self.database = database
    self.logger = logger
  }

  public func create(_ model: RegisteredModelRecord, event: AuditRecord) async throws {
    do {
      try await database.transaction(logger: logger) { c in
        var id: Int64 = 0
        let rows = try await c.query(
          """
          INSERT INTO registered_models (name, doc, last_updated_time)
          VALUES (\(model.name), \(RegistryCoding.encode(model)), \(model.lastUpdatedTime)) RETURNING model_id
          """, logger: logger)
        for try await value in rows.decode(Int64.self) { id = value }
        try await append([event], modelID: id, c)
      }
    } catch where PostgresStore.sqlState(of: error) == "23505" {
      throw RegistryError.modelNameTaken(model.name)
    }
  }

  public func modify<Result: Sendable>(
    name: String, scope: VersionScope, _ change: @Sendable (inout ModelAggregate) throws -> (Result, [AuditRecord])
  ) async throws -> Result {
    try await database.transaction(logger: logger) { c in
      guard let (id, before) = try await load(name: name, scope: scope, c, lock: true) else { throw RegistryError.modelNotFound(name) }
      var after = before
      let (result, events) = try change(&after)
      if after.model.name != before.model.name {
        let taken = try await c.query("SELECT 1 FROM registered_models WHERE name = \(after.model.name)", logger: logger)
        for try await _ in taken.decode(Int.self) { throw RegistryError.modelNameTaken(after.model.name) }
      }
      if after.model != before.model {
        try await c.query(
          """
          UPDATE registered_models SET name = \(after.model.name), doc = \(RegistryCoding.encode(after.model)),
            last_updated_time = \(after.model.lastUpdatedTime) WHERE model_id = \(id)
          """, logger: logger)
      }
      for (number, version) in after.versions where before.versions[number] != version {
        try await c.query(
          """
          INSERT INTO model_versions (model_id, version, run_id, stage, doc)
          VALUES (\(id), \(number), \(version.runID), \(Int16(version.stage.rawValue)), \(RegistryCoding.encode(version)))
          ON CONFLICT (model_id, version) DO UPDATE SET run_id = excluded.run_id, stage = excluded.stage, doc = excluded.doc
          """, logger: logger)
      }
      for number in before.versions.keys where after.versions[number] == nil {
        try await c.query("DELETE FROM model_versions WHERE model_id = \(id) AND version = \(number)", logger: logger)
      }
      try await append(events, modelID: id, c)
      return result
    }
  }

  public func delete(name: String, scope: VersionScope, _ check: @Sendable (ModelAggregate) throws -> AuditRecord) async throws {
    try await database.transaction(logger: logger) { c in
      guard let (id, aggregate) = try await load(name: name, scope: scope, c, lock: true) else { throw RegistryError.modelNotFound(name) }
      let event = try check(aggregate)
      try await c.query("DELETE FROM model_versions WHERE model_id = \(id)", logger: logger)
      try await c.query("DELETE FROM registered_models WHERE model_id = \(id)", logger: logger)
      try await append([event], modelID: id, c)
    }
  }

  public func load(name: String, scope: VersionScope) async throws -> ModelAggregate? {
    try await database.client.withConnection { c in try await load(name: name, scope: scope, c, lock: false)?.1 }
  }

  public func all() async throws -> [ModelAggregate] {
    var models: [Int64: ModelAggregate] = [:]
    for try await (id, doc) in try await database.client.query("SELECT model_id, doc FROM registered_models", logger: logger).decode((Int64, String).self) {
      models[id] = ModelAggregate(model: try documents.model(doc), versions: [:])
    }
    for try await (id, doc) in try await database.client.query("SELECT model_id, doc FROM model_versions", logger: logger).decode((Int64, String).self) {
      let version = try documents.version(doc)
      models[id]?.versions[version.version] = version
    }
    return Array(models.values)
  }

  func load(name: String, scope: VersionScope, _ c: PostgresConnection, lock: Bool) async throws -> (Int64, ModelAggregate)? {
    var found: (Int64, String)?
    let rows = try await c.query(
      PostgresQuery(
        unsafeSQL: "SELECT model_id, doc FROM registered_models WHERE name = $1\(lock ? " FOR UPDATE" : "")",
        binds: { var b = PostgresBindings(); b.append(name); return b }()),
      logger: logger)
    for try await row in rows.decode((Int64, String).self) { found = row }
    guard let (id, doc) = found else { return nil }
    let model = try documents.model(doc)
    var versions: [Int64: ModelVersionRecord] = [:]
    if let (condition, values) = scope.condition(aliases: model.aliases) {
      var binds = PostgresBindings()
      binds.append(id)
      var sql = "SELECT doc FROM model_versions WHERE model_id = $1 AND "
      var rest = Substring(condition)
      while let mark = rest.firstIndex(of: "$") {
        sql += rest[..<mark] + "$\(binds.count + 1)"
        binds.append(values[binds.count - 1])
        rest = rest[rest.index(after: mark)...]
      }
      sql += rest
      for try await text in try await c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode(String.self) {
        let version = try documents.version(text)
        versions[version.version] = version
      }
    }
    return (id, ModelAggregate(model: model, versions: versions))
  }

  func append(_ events: [AuditRecord], modelID: Int64, _ c: PostgresConnection) async throws {
    for e in events {
      var sequence: Int64 = 0
      let rows = try await c.query("UPDATE registry_event_counter SET value = value + 1 WHERE id = 1 RETURNING value", logger: logger)
      for try await value in rows.decode(Int64.self) { sequence = value }
      let eventType = e.eventType.map { Int16($0.rawValue) }
      let stage = e.stage.map { Int16($0.rawValue) }
      try await c.query(
        """
        INSERT INTO registry_events (sequence, time, actor, action, model_id, model_name, version, event_type, alias, stage, before_json, after_json)
        VALUES (\(sequence), \(e.time), \(e.actor), \(e.action), \(modelID), \(e.modelName), \(e.version), \(eventType), \(e.alias), \(stage), \(e.before), \(e.after))
        """, logger: logger)
    }
  }

  public func latestSequence() async throws -> Int64 {
    var latest: Int64 = 0
    let rows = try await database.client.query("SELECT COALESCE(MAX(sequence), 0)::BIGINT FROM registry_events", logger: logger)
    for try await value in rows.decode(Int64.self) { latest = value }
    return latest
  }

  public func events(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord] {
    var binds = PostgresBindings()
    binds.append(after)
    var sql = "SELECT \(AuditSQL.columns) FROM registry_events WHERE sequence > $1"
    for (condition, values) in AuditSQL.conditions(filter) {
      var text = condition
      for value in values {
        switch value {
        case .int(let v): binds.append(v)
        case .text(let v): binds.append(v)
        }
        text = text.replacingOccurrences(of: "$", with: "#\(binds.count)", options: [], range: text.range(of: "$"))
      }
      sql += " AND " + text.replacingOccurrences(of: "#", with: "$")
    }
    binds.append(Int64(limit))
    sql += " ORDER BY sequence LIMIT $\(binds.count)"
    let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    var events: [AuditRecord] = []
    for try await r in rows.decode((Int64, Int64, String, String, String, Int64, Int16?, String, Int16?, String, String).self) {
      var e = AuditRecord(
        time: r.1, actor: r.2, action: r.3, modelName: r.4, version: r.5,
        eventType: r.6.flatMap { ModelEventType(rawValue: Int($0)) }, alias: r.7,
        stage: r.8.flatMap { Stage(rawValue: Int($0)) }, before: r.9, after: r.10)
      e.sequence = r.0
      events.append(e)
    }
    return events
  }
}
