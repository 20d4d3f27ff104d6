import MLOpsCore

/// The audit query's filters: each condition with its `?` parameters' values, in order.
enum AuditSQL {
  static let columns = "sequence, time, actor, action, model_name, version, event_type, alias, stage, before_json, after_json"

  /// A model is matched by its id (so renamed models keep their history) or, once deleted,
  /// by the name it had.
  static func conditions(_ filter: AuditFilter) -> [(String, [SQLValue])] {
    var result: [(String, [SQLValue])] = []
    if !filter.modelName.isEmpty {
      result.append(
        (
          "(model_name = ? OR model_id = (SELECT model_id FROM registered_models WHERE name = ?))",
          [.text(filter.modelName), .text(filter.modelName)]
        ))
    }
    if filter.version > 0 { result.append(("version = ?", [.int(filter.version)])) }
    if !filter.actor.isEmpty { result.append(("actor = ?", [.text(filter.actor)])) }
    if let start = filter.start { result.append(("time >= ?", [.int(start)])) }
    if let end = filter.end { result.append(("time < ?", [.int(end)])) }
    if filter.modelEventsOnly { result.append(("event_type IS NOT NULL", [])) }
    return result
  }
}
