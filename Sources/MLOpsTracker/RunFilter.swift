/// MLflow's search filter language for runs, parsed into comparisons the repositories turn
/// into indexed SQL: `metrics.auc > 0.8 AND params.model = 'xgb' AND tags.`team name` LIKE 'ml%'
/// AND attributes.status IN ('FINISHED', 'FAILED') AND datasets.context = 'training'`.
public struct RunFilter: Sendable, Equatable {
  /// What a comparison looks at.
  public enum Entity: Sendable, Equatable, Hashable {
    case metric(String), param(String), tag(String), attribute(Attribute), dataset(DatasetField)
  }

  public enum Attribute: String, Sendable, CaseIterable {
    case status, startTime = "start_time", endTime = "end_time", runName = "run_name", runID = "run_id", userID = "user_id"

    var isNumeric: Bool { self == .startTime || self == .endTime }
  }

  public enum DatasetField: String, Sendable, CaseIterable { case name, digest, context }

  public enum Operator: String, Sendable {
    case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case like = "LIKE", ilike = "ILIKE", isIn = "IN", notIn = "NOT IN"
  }

  public enum Operand: Sendable, Equatable {
    case number(Double), text(String), list([String])
  }

  public struct Comparison: Sendable, Equatable {
    public var entity: Entity
    public var op: Operator
    public var value: Operand

    public init(entity: Entity, op: Operator, value: Operand) {
      self.entity = entity
      self.op = op
      self.value = value
    }
  }

  public var comparisons: [Comparison]

  /// Parses `text`; an empty filter matches every run.
  /// - Throws: `TrackerError.invalidArgument(field: "filter", …)` naming the position and token.
  public init(parsing text: String) throws {
    var parser = RunFilterParser(tokens: try RunFilterLexer.tokens(text))
    comparisons = try parser.parse()
  }
}

/// One lexical token with its 1-based character position, for error messages.
struct FilterToken: Equatable {
  enum Kind: Equatable { case identifier, string, number, op, comma, open, close, end }
  var kind: Kind
  var text: String
  var position: Int
}

enum RunFilterLexer {
  static func tokens(_ text: String) throws -> [FilterToken] {
    let chars = Array(text)
    var tokens: [FilterToken] = []
    var i = 0
    while i < chars.count {
      let c = chars[i], start = i + 1
      if c.isWhitespace { i += 1; continue }
      switch c {
      case "(": tokens.append(.init(kind: .open, text: "(", position: start)); i += 1
      case ")": tokens.append(.init(kind: .close, text: ")", position: start)); i += 1
      case ",": tokens.append(.init(kind: .comma, text: ",", position: start)); i += 1
      case "'", "\"", "`":
        var j = i + 1, value = ""
        while j < chars.count, chars[j] != c { value.append(chars[j]); j += 1 }
        guard j < chars.count else { throw error("unterminated \(c) quote", at: start, token: String(chars[i...])) }
        // Backticks quote keys (kept as an identifier marked by its leading backtick);
        // single and double quotes delimit strings.
        tokens.append(c == "`" ? .init(kind: .identifier, text: "`" + value, position: start) : .init(kind: .string, text: value, position: start))
        i = j + 1
      case "=", "!", "<", ">":
        var op = String(c)
        if i + 1 < chars.count, chars[i + 1] == "=" || (c == "<" && chars[i + 1] == ">") { op.append(chars[i + 1]) }
        guard op != "!" else { throw error("'!' must be followed by '='", at: start, token: "!") }
        tokens.append(.init(kind: .op, text: op == "<>" ? "!=" : op, position: start)); i += op.count
      default:
        var j = i
        if c.isNumber || c == "-" || c == "+" || c == "." {
          while j < chars.count, chars[j].isNumber || "+-.eE".contains(chars[j]) { j += 1 }
          let word = String(chars[i..<j])
          guard Double(word) != nil else { throw error("'\(word)' is not a number", at: start, token: word) }
          tokens.append(.init(kind: .number, text: word, position: start)); i = j
          continue
        }
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || "_.".contains(chars[j]) { j += 1 }
        guard j > i else { throw error("unexpected character '\(c)'", at: start, token: String(c)) }
        tokens.append(.init(kind: .identifier, text: String(chars[i..<j]), position: start)); i = j
      }
    }
    tokens.append(.init(kind: .end, text: "end of filter", position: chars.count + 1))
    return tokens
  }

  static func error(_ what: String, at position: Int, token: String) -> TrackerError {
    .invalidArgument(field: "filter", reason: "\(what) at position \(position) ('\(token)')")
  }
}
