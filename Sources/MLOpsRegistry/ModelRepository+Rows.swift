import MLOpsCore

extension ModelRepository {
  /// The model row and the versions `scope` selects, inside `c`; with `lock`, the model row
  /// is locked for the rest of the transaction.
  func load(name: String, scope: VersionScope, _ c: any SQLConnection, lock: Bool) async throws -> (Int64, ModelAggregate)? {
    let lockClause = lock ? sql.dialect.forUpdate : ""
    guard let row = try await c.first("SELECT model_id, doc FROM registered_models WHERE name = ?\(lockClause)", [.text(name)]) else {
      return nil
    }
    let id = row[0].int
    let model = try documents.model(row[1].text)
    var versions: [Int64: ModelVersionRecord] = [:]
    if let (condition, values) = scope.condition(aliases: model.aliases) {
      let rows = try await c.query(
        "SELECT doc FROM model_versions WHERE model_id = ? AND " + condition, [.int(id)] + values.map(SQLValue.int))
      for row in rows {
        let version = try documents.version(row[0].text)
        versions[version.version] = version
      }
    }
    return (id, ModelAggregate(model: model, versions: versions))
  }

  /// Appends audit events. PostgreSQL takes each sequence from one locked counter row, so
  /// sequences commit in the order they were taken (a reader following `sequence >` never
  /// skips one that commits later); SQLite's one writer lets its AUTOINCREMENT do the same.
  func append(_ events: [AuditRecord], modelID: Int64, _ c: any SQLConnection) async throws {
    for e in events {
      var sequence = SQLValue.null
      if sql.dialect == .postgres {
        sequence = try await c.first("UPDATE registry_event_counter SET value = value + 1 WHERE id = 1 RETURNING value", [])?[0] ?? .null
      }
      try await c.execute(
        """
        INSERT INTO registry_events (sequence, time, actor, action, model_id, model_name, version, event_type, alias, stage, before_json, after_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          sequence, .int(e.time), .text(e.actor), .text(e.action), .int(modelID), .text(e.modelName), .int(e.version),
          e.eventType.map { .int(Int64($0.rawValue)) } ?? .null, .text(e.alias), e.stage.map { .int(Int64($0.rawValue)) } ?? .null,
          .text(e.before), .text(e.after),
        ])
    }
  }

  /// Audit events matching `filter` with sequence > `after`, oldest first.
  public func events(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord] {
    var statement = "SELECT \(AuditSQL.columns) FROM registry_events WHERE sequence > ?"
    var binds: [SQLValue] = [.int(after)]
    for (condition, values) in AuditSQL.conditions(filter) {
      statement += " AND " + condition
      binds += values
    }
    statement += " ORDER BY sequence LIMIT ?"
    binds.append(.int(Int64(limit)))
    let text = statement
    let bound = binds
    return try await sql.read { c in
      try await c.query(text, bound).map { r in
        var e = AuditRecord(
          time: r[1].int, actor: r[2].text, action: r[3].text, modelName: r[4].text, version: r[5].int,
          eventType: r[6].isNull ? nil : ModelEventType(rawValue: Int(r[6].int)), alias: r[7].text,
          stage: r[8].isNull ? nil : Stage(rawValue: Int(r[8].int)), before: r[9].text, after: r[10].text)
        e.sequence = r[0].int
        return e
      }
    }
  }

  /// Refuses a name another model holds (deleted models free theirs).
  static func requireFree(_ name: String, _ c: any SQLConnection) async throws {
    if try await c.first("SELECT 1 FROM registered_models WHERE name = ?", [.text(name)]) != nil {
      throw RegistryError.modelNameTaken(name)
    }
  }

  /// Runs `body`, reporting a unique violation (two writers past ``requireFree(_:_:)`` at
  /// once on PostgreSQL) as the name being taken.
  static func namingModel<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch  where SQLDialect.isUniqueViolation(error) {
      throw RegistryError.modelNameTaken(name)
    }
  }
}
