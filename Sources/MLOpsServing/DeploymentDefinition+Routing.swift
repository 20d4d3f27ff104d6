/// Which key routes a request.
extension DeploymentDefinition {
  /// The key a request is routed by: with a sticky field, its value in the request's first
  /// row (an input column, else an entity key) when the request carries it — so a caller
  /// that sends `user_id` stays on one variant without setting `routing_key` — and otherwise
  /// the request's `routing_key` (empty: by weight alone).
  func routingKey(_ given: String, rows: [[String: Cell]], entities: [[String: Cell]]) -> String {
    guard let field = stickyKey, let value = rows.first?[field] ?? entities.first?[field] else { return given }
    return value.routingText
  }
}

extension Cell {
  /// The value spelled as text for hashing onto a variant (`42`, `user-7`, `1,2`).
  var routingText: String {
    switch self {
    case .null: ""
    case .int(let v): String(v)
    case .double(let v): v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    case .string(let v): v
    case .bool(let v): String(v)
    case .ints(let v): v.map(String.init).joined(separator: ",")
    case .doubles(let v): v.map { String($0) }.joined(separator: ",")
    case .strings(let v): v.joined(separator: ",")
    case .bools(let v): v.map(String.init).joined(separator: ",")
    }
  }
}
