import GRDB
import PostgresNIO

/// The audit query's filters, shared by both backends: each condition marks its parameters
/// with `$`, which each backend replaces with its placeholder in order.
enum AuditSQL {
  static let columns = "sequence, time, actor, action, model_name, version, event_type, alias, stage, before_json, after_json"

  enum Value {
    case int(Int64), text(String)

    var sqliteValue: (any DatabaseValueConvertible)? {
      switch self {
      case .int(let v): v
      case .text(let v): v
      }
    }
  }

  /// A model is matched by its id (so renamed models keep their history) or, once deleted,
  /// by the name it had.
  static func conditions(_ filter: AuditFilter) -> [(String, [Value])] {
    var result: [(String, [Value])] = []
    if !filter.modelName.isEmpty {
      result.append((
        "(model_name = $ OR model_id = (SELECT model_id FROM registered_models WHERE name = $))",
        [.text(filter.modelName), .text(filter.modelName)]))
    }
    if filter.version > 0 { result.append(("version = $", [.int(filter.version)])) }
    if !filter.actor.isEmpty { result.append(("actor = $", [.text(filter.actor)])) }
    if let start = filter.start { result.append(("time >= $", [.int(start)])) }
    if let end = filter.end { result.append(("time < $", [.int(end)])) }
    if filter.modelEventsOnly { result.append(("event_type IS NOT NULL", [])) }
    return result
  }
}
