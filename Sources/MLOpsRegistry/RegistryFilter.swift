import Foundation
import MLOpsCore

/// The registry's search filters in MLflow's language: `name = 'x' AND tags.team LIKE 'ml%'`
/// (`= != LIKE ILIKE`, values quoted, conditions joined by AND). Models allow `name` and
/// `tags.<key>`; versions also `run_id` and `stage`.
public struct RegistryFilter: Sendable, Equatable {
  public enum Field: Sendable, Equatable { case name, runID, stage, tag(String) }
  public enum Operator: String, Sendable { case equal = "=", notEqual = "!=", like = "LIKE", ilike = "ILIKE" }
  public struct Comparison: Sendable, Equatable {
    public var field: Field
    public var op: Operator
    public var value: String
  }

  public var comparisons: [Comparison]
  /// MLflow's rule for its prompt tag (`mlflow.prompt.is_prompt`), which MLflow's client adds
  /// to every model search: `= 'true'` (or `!= 'false'`) asks for prompts only, any other
  /// comparison on it for everything but prompts — models without the tag included. nil: no
  /// comparison on it.
  public var prompts: Bool?
  /// MLflow's prompt tag.
  public static let promptTag = "mlflow.prompt.is_prompt"

  /// - Parameter versionFields: whether `run_id` and `stage` are allowed.
  public init(parsing text: String, versionFields: Bool) throws {
    let tokens: [FilterToken]
    do { tokens = try FilterLexer.tokens(text) } catch let e as FilterSyntaxError {
      throw RegistryError.invalidArgument(field: "filter", reason: e.reason)
    }
    func fail(_ what: String, _ t: FilterToken) -> RegistryError {
      .invalidArgument(field: "filter", reason: FilterSyntaxError(what: what, position: t.position, token: t.text).reason)
    }
    var i = 0
    var comparisons: [Comparison] = []
    let expected = versionFields ? "name, run_id, stage or tags.<key>" : "name or tags.<key>"
    while tokens[i].kind != .end {
      let fieldToken = tokens[i]
      var fieldText = fieldToken.text
      // tags.`a key` and tag."a key": the prefix, then the quoted key as its own token.
      if ["tags.", "tag."].contains(fieldText.lowercased()), tokens[i + 1].kind == .string || tokens[i + 1].text.hasPrefix("`") {
        i += 1
        fieldText = "tags." + (tokens[i].kind == .string ? tokens[i].text : String(tokens[i].text.dropFirst()))
      }
      guard fieldToken.kind == .identifier, let field = Self.field(fieldText, versionFields: versionFields) else {
        throw fail("expected \(expected)", fieldToken)
      }
      i += 1
      let opToken = tokens[i]
      let opText = opToken.text.uppercased()
      guard let op = Operator(rawValue: opText), (op == .equal || op == .notEqual) == (opToken.kind == .op) else {
        throw fail("expected =, !=, LIKE or ILIKE", opToken)
      }
      i += 1
      guard tokens[i].kind == .string else { throw fail("expected a quoted value", tokens[i]) }
      comparisons.append(Comparison(field: field, op: op, value: tokens[i].text))
      i += 1
      if tokens[i].kind == .end { break }
      guard tokens[i].kind == .identifier, tokens[i].text.uppercased() == "AND" else { throw fail("expected AND", tokens[i]) }
      i += 1
    }
    self.comparisons = comparisons.filter { $0.field != .tag(Self.promptTag) }
    if let prompt = comparisons.first(where: { $0.field == .tag(Self.promptTag) }) {
      let value = prompt.value.lowercased()
      prompts = (prompt.op == .equal && value == "true") || (prompt.op == .notEqual && value == "false")
    }
  }

  static func field(_ text: String, versionFields: Bool) -> Field? {
    let lowered = text.lowercased()
    if lowered == "name" { return .name }
    if versionFields, lowered == "run_id" { return .runID }
    if versionFields, lowered == "stage" || lowered == "current_stage" { return .stage }
    if lowered.hasPrefix("tags.") || lowered.hasPrefix("tag.") {
      let key = String(text.drop { $0 != "." }.dropFirst())
      let unquoted = key.hasPrefix("`") ? String(key.dropFirst()) : key
      return unquoted.isEmpty ? nil : .tag(unquoted)
    }
    if text.hasPrefix("`tags.") { return .tag(String(text.dropFirst(6))) }
    return nil
  }

  /// Whether a model or version with these values matches every comparison; a missing tag
  /// matches nothing (not even `!=`), as in MLflow.
  func matches(name: String, runID: String = "", stage: Stage = .none, tags: [String: String]) -> Bool {
    if let prompts, prompts != (tags[Self.promptTag]?.lowercased() == "true") { return false }
    return comparisons.allSatisfy { c in
      let value: String?
      switch c.field {
      case .name: value = name
      case .runID: value = runID
      case .stage: value = stage.name
      case .tag(let key): value = tags[key]
      }
      guard let value else { return false }
      switch c.op {
      case .equal: return c.field == .stage ? value.lowercased() == c.value.lowercased() : value == c.value
      case .notEqual: return c.field == .stage ? value.lowercased() != c.value.lowercased() : value != c.value
      case .like: return Self.like(Array(value), Array(c.value))
      case .ilike: return Self.like(Array(value.lowercased()), Array(c.value.lowercased()))
      }
    }
  }

  /// SQL LIKE: `%` any run of characters, `_` exactly one.
  static func like(_ text: [Character], _ pattern: [Character]) -> Bool {
    var t = 0
    var p = 0
    var star = -1
    var mark = 0
    while t < text.count {
      if p < pattern.count, pattern[p] == "_" || pattern[p] == text[t] {
        t += 1
        p += 1
      } else if p < pattern.count, pattern[p] == "%" {
        star = p
        mark = t
        p += 1
      } else if star >= 0 {
        p = star + 1
        mark += 1
        t = mark
      } else {
        return false
      }
    }
    while p < pattern.count, pattern[p] == "%" { p += 1 }
    return p == pattern.count
  }
}
