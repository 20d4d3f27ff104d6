import GRDB
import MLOpsCore

/// The registry in the embedded SQLite database. SQLite's single writer serialises every
/// `modify`, so version numbers and alias moves need no further locking.
public struct SQLiteModelRepository: ModelRepository {
  let database: SQLiteStore
  let documents = DocumentCache()

  public init(database: SQLiteStore) {
    self.database = database
  }

  public func create(_ model: RegisteredModelRecord, event: AuditRecord) async throws {
    try await database.pool.write { db in
      if try Int64.fetchOne(db, sql: "SELECT model_id FROM registered_models WHERE name = ?", arguments: [model.name]) != nil {
        throw RegistryError.modelNameTaken(model.name)
      }
      try db.execute(
        sql: "INSERT INTO registered_models (name, doc, last_updated_time) VALUES (?, ?, ?)",
        arguments: [model.name, RegistryCoding.encode(model), model.lastUpdatedTime])
      try Self.append([event], modelID: db.lastInsertedRowID, db)
    }
  }

  public func modify<Result: Sendable>(
    name: String, scope: VersionScope, _ change: @Sendable (inout ModelAggregate) throws -> (Result, [AuditRecord])
  ) async throws -> Result {
    try await database.pool.write { db in
      guard let (id, before) = try Self.load(name: name, scope: scope, db, documents) else { throw RegistryError.modelNotFound(name) }
      var after = before
      let (result, events) = try change(&after)
      if after.model != before.model {
        if after.model.name != before.model.name,
          try Int64.fetchOne(db, sql: "SELECT model_id FROM registered_models WHERE name = ?", arguments: [after.model.name]) != nil
        {
          throw RegistryError.modelNameTaken(after.model.name)
        }
        try db.execute(
          sql: "UPDATE registered_models SET name = ?, doc = ?, last_updated_time = ? WHERE model_id = ?",
          arguments: [after.model.name, RegistryCoding.encode(after.model), after.model.lastUpdatedTime, id])
      }
      for (number, version) in after.versions where before.versions[number] != version {
        try db.execute(
          sql: """
            INSERT INTO model_versions (model_id, version, run_id, stage, doc) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (model_id, version) DO UPDATE SET run_id = excluded.run_id, stage = excluded.stage, doc = excluded.doc
            """,
          arguments: [id, number, version.runID, version.stage.rawValue, RegistryCoding.encode(version)])
      }
      for number in before.versions.keys where after.versions[number] == nil {
        try db.execute(sql: "DELETE FROM model_versions WHERE model_id = ? AND version = ?", arguments: [id, number])
      }
      try Self.append(events, modelID: id, db)
      return result
    }
  }

  public func delete(name: String, scope: VersionScope, _ check: @Sendable (ModelAggregate) throws -> AuditRecord) async throws {
    try await database.pool.write { db in
      guard let (id, aggregate) = try Self.load(name: name, scope: scope, db, documents) else { throw RegistryError.modelNotFound(name) }
      let event = try check(aggregate)
      try db.execute(sql: "DELETE FROM model_versions WHERE model_id = ?", arguments: [id])
      try db.execute(sql: "DELETE FROM registered_models WHERE model_id = ?", arguments: [id])
      try Self.append([event], modelID: id, db)
    }
  }

  public func load(name: String, scope: VersionScope) async throws -> ModelAggregate? {
    try database.readInline { db in try Self.load(name: name, scope: scope, db, documents)?.1 }
  }

  public func all() async throws -> [ModelAggregate] {
    let documents = self.documents
    return try await database.pool.read { db in
      var models: [Int64: ModelAggregate] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT model_id, doc FROM registered_models") {
        models[row[0]] = ModelAggregate(model: try documents.model(row[1]), versions: [:])
      }
      for row in try Row.fetchAll(db, sql: "SELECT model_id, doc FROM model_versions") {
        let version = try documents.version(row[1])
        models[row[0] as Int64]?.versions[version.version] = version
      }
      return Array(models.values)
    }
  }

  static func load(name: String, scope: VersionScope, _ db: Database, _ documents: DocumentCache) throws -> (Int64, ModelAggregate)? {
    guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT model_id, doc FROM registered_models WHERE name = ?"), arguments: [name]) else {
      return nil
    }
    let id: Int64 = row[0]
    let model = try documents.model(row[1])
    var versions: [Int64: ModelVersionRecord] = [:]
    if let (condition, values) = scope.condition(aliases: model.aliases) {
      let sql = "SELECT doc FROM model_versions WHERE model_id = ? AND " + condition.replacingOccurrences(of: "$", with: "?")
      for doc in try String.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments([id] + values)) {
        let version = try documents.version(doc)
        versions[version.version] = version
      }
    }
    return (id, ModelAggregate(model: model, versions: versions))
  }

  static func append(_ events: [AuditRecord], modelID: Int64, _ db: Database) throws {
    for e in events {
      try db.execute(
        sql: """
          INSERT INTO registry_events (time, actor, action, model_id, model_name, version, event_type, alias, stage, before_json, after_json)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [e.time, e.actor, e.action, modelID, e.modelName, e.version, e.eventType?.rawValue, e.alias, e.stage?.rawValue, e.before, e.after])
    }
  }

  public func latestSequence() async throws -> Int64 {
    try await database.pool.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM registry_events") ?? 0 }
  }

  public func events(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord] {
    var sql = "SELECT \(AuditSQL.columns) FROM registry_events WHERE sequence > ?"
    var arguments: [(any DatabaseValueConvertible)?] = [after]
    for (condition, value) in AuditSQL.conditions(filter) {
      sql += " AND " + condition.replacingOccurrences(of: "$", with: "?")
      arguments.append(contentsOf: value.map { $0.sqliteValue })
    }
    sql += " ORDER BY sequence LIMIT ?"
    arguments.append(limit)
    let bound = StatementArguments(arguments)
    let statement = sql
    return try await database.pool.read { db in
      try Row.fetchAll(db, sql: statement, arguments: bound).map { r in
        var e = AuditRecord(
          time: r[1], actor: r[2], action: r[3], modelName: r[4], version: r[5],
          eventType: (r[6] as Int?).flatMap(ModelEventType.init(rawValue:)), alias: r[7],
          stage: (r[8] as Int?).flatMap(Stage.init(rawValue:)), before: r[9], after: r[10])
        e.sequence = r[0]
        return e
      }
    }
  }
}
