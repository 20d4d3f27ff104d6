import MLOpsCore

/// Recursive descent over the tokens: comparison (AND comparison)*.
struct RunFilterParser {
  let tokens: [FilterToken]
  var index = 0

  init(tokens: [FilterToken]) {
    self.tokens = tokens
  }

  var current: FilterToken { tokens[index] }

  mutating func next() -> FilterToken {
    defer { index = min(index + 1, tokens.count - 1) }
    return tokens[index]
  }

  func fail(_ what: String, _ token: FilterToken? = nil) -> TrackerError {
    let t = token ?? current
    return RunFilterLexer.error(what, at: t.position, token: t.text)
  }

  mutating func parse() throws -> [RunFilter.Comparison] {
    var comparisons: [RunFilter.Comparison] = []
    if current.kind == .end { return [] }
    while true {
      comparisons.append(try comparison())
      if current.kind == .end { return comparisons }
      guard current.kind == .identifier, current.text.uppercased() == "AND" else {
        throw fail(current.text.uppercased() == "OR" ? "OR is not supported (MLflow filters are conjunctions)" : "expected AND")
      }
      _ = next()
    }
  }

  mutating func comparison() throws -> RunFilter.Comparison {
    let entity = try self.entity()
    let opToken = current
    let op = try self.op()
    let value = try operand(for: op)
    try check(entity, op, value, at: opToken)
    return RunFilter.Comparison(entity: entity, op: op, value: value)
  }

  /// `metrics.key`, `params."a key"`, tags.`a key`, `attributes.status`, `datasets.context`;
  /// a name without a prefix is an attribute (`run_name`, `status`, `created`), as in MLflow.
  mutating func entity() throws -> RunFilter.Entity {
    let token = next()
    guard token.kind == .identifier else { throw fail("expected an identifier such as metrics.<key>", token) }
    if token.text.hasPrefix("`") { return try attribute(String(token.text.dropFirst()), token) }
    guard let dot = token.text.firstIndex(of: ".") else { return try attribute(token.text, token) }
    let prefix = String(token.text[..<dot])
    var key = String(token.text[token.text.index(after: dot)...])
    if key.isEmpty {
      if current.kind == .identifier, current.text.hasPrefix("`") {
        key = String(next().text.dropFirst())
      } else if current.kind == .string {
        key = next().text
      }
    }
    guard !key.isEmpty else { throw fail("'\(token.text)' needs a key after the dot", token) }
    switch prefix.lowercased() {
    case "metric", "metrics": return .metric(key)
    case "param", "params", "parameter", "parameters": return .param(key)
    case "tag", "tags": return .tag(key)
    case "attribute", "attributes", "attr", "run": return try attribute(key, token)
    case "dataset", "datasets":
      guard let field = RunFilter.DatasetField(rawValue: key) else {
        throw fail("unknown dataset field '\(key)' (expected name, digest, context)", token)
      }
      return .dataset(field)
    default:
      throw fail("unknown entity '\(prefix)' (expected metrics, params, tags, attributes or datasets)", token)
    }
  }

  func attribute(_ key: String, _ token: FilterToken) throws -> RunFilter.Entity {
    guard let attribute = RunFilter.Attribute(mlflowKey: key) else {
      let names = RunFilter.Attribute.allCases.map(\.rawValue) + ["created"]
      throw fail("unknown attribute '\(key)' (expected \(names.joined(separator: ", ")))", token)
    }
    return .attribute(attribute)
  }

  mutating func op() throws -> RunFilter.Operator {
    let token = next()
    if token.kind == .op, let op = RunFilter.Operator(rawValue: token.text) { return op }
    guard token.kind == .identifier else { throw fail("expected a comparison operator", token) }
    switch token.text.uppercased() {
    case "LIKE": return .like
    case "ILIKE": return .ilike
    case "IN": return .isIn
    case "IS":
      let negated = current.kind == .identifier && current.text.uppercased() == "NOT"
      if negated { _ = next() }
      guard current.kind == .identifier, current.text.uppercased() == "NULL" else { throw fail("expected NULL after IS") }
      _ = next()
      return negated ? .isNotNull : .isNull
    case "NOT":
      guard current.kind == .identifier, current.text.uppercased() == "IN" else { throw fail("expected IN after NOT") }
      _ = next()
      return .notIn
    default: throw fail("expected a comparison operator", token)
    }
  }

  mutating func operand(for op: RunFilter.Operator) throws -> RunFilter.Operand {
    if op == .isNull || op == .isNotNull { return .list([]) }
    if op == .isIn || op == .notIn {
      guard next().kind == .open else { throw fail("expected '(' after \(op.rawValue)", tokens[index - 1]) }
      var values: [String] = []
      repeat {
        let token = next()
        guard token.kind == .string || token.kind == .number else { throw fail("expected a quoted value", token) }
        values.append(token.text)
      } while current.kind == .comma && next().kind == .comma
      guard next().kind == .close else { throw fail("expected ')' or ','", tokens[index - 1]) }
      return .list(values)
    }
    let token = next()
    switch token.kind {
    case .number: return .number(Double(token.text)!)
    case .string: return .text(token.text)
    default: throw fail("expected a number or a quoted string", token)
    }
  }

  /// Which operators and value types each entity accepts, exactly as MLflow 3 allows them:
  /// numbers for metrics and start/end times; =, !=, LIKE, ILIKE for params and tags (plus IS
  /// [NOT] NULL); lists (IN, NOT IN) only for `run_id` and dataset fields.
  func check(_ entity: RunFilter.Entity, _ op: RunFilter.Operator, _ value: RunFilter.Operand, at token: FilterToken) throws {
    switch entity {
    case .metric: try check(numeric: true, lists: false, nulls: false, op, value, at: token)
    case .attribute(let a): try check(numeric: a.isNumeric, lists: a == .runID, nulls: false, op, value, at: token)
    case .param, .tag: try check(numeric: false, lists: false, nulls: true, op, value, at: token)
    case .dataset: try check(numeric: false, lists: true, nulls: false, op, value, at: token)
    }
  }

  func check(numeric: Bool, lists: Bool, nulls: Bool, _ op: RunFilter.Operator, _ value: RunFilter.Operand, at token: FilterToken) throws {
    if numeric {
      guard [.equal, .notEqual, .greater, .greaterOrEqual, .less, .lessOrEqual].contains(op) else {
        throw fail("\(op.rawValue) does not apply to a number", token)
      }
      guard case .number = value else { throw fail("\(op.rawValue) needs a number here", token) }
      return
    }
    var allowed: [RunFilter.Operator] = [.equal, .notEqual, .like, .ilike]
    if lists { allowed += [.isIn, .notIn] }
    if nulls { allowed += [.isNull, .isNotNull] }
    guard allowed.contains(op) else {
      throw fail("\(op.rawValue) does not apply here (MLflow allows \(allowed.map(\.rawValue).joined(separator: ", ")))", token)
    }
    if case .number = value { throw fail("\(op.rawValue) needs a quoted string here", token) }
  }
}
