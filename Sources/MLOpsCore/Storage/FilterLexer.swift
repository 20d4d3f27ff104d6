/// One lexical token with its 1-based character position, for error messages.
public struct FilterToken: Equatable, Sendable {
  public enum Kind: Equatable, Sendable { case identifier, string, number, op, comma, open, close, end }
  public var kind: Kind
  public var text: String
  public var position: Int
}

/// Tokens of MLflow's filter language (identifiers, quoted strings, backticked keys, numbers,
/// comparison operators, parentheses, commas), shared by the tracker's and the registry's
/// search filters so both report syntax errors the same way.
public enum FilterLexer {
  public static func tokens(_ text: String) throws -> [FilterToken] {
    let chars = Array(text)
    var tokens: [FilterToken] = []
    var i = 0
    while i < chars.count {
      let c = chars[i]
      let start = i + 1
      if c.isWhitespace {
        i += 1
        continue
      }
      switch c {
      case "(":
        tokens.append(.init(kind: .open, text: "(", position: start))
        i += 1
      case ")":
        tokens.append(.init(kind: .close, text: ")", position: start))
        i += 1
      case ",":
        tokens.append(.init(kind: .comma, text: ",", position: start))
        i += 1
      case "'", "\"", "`":
        var j = i + 1
        var value = ""
        while j < chars.count, chars[j] != c {
          value.append(chars[j])
          j += 1
        }
        guard j < chars.count else { throw error("unterminated \(c) quote", at: start, token: String(chars[i...])) }
        // Backticks quote keys (kept as an identifier marked by its leading backtick);
        // single and double quotes delimit strings.
        tokens.append(
          c == "`" ? .init(kind: .identifier, text: "`" + value, position: start) : .init(kind: .string, text: value, position: start))
        i = j + 1
      case "=", "!", "<", ">":
        var op = String(c)
        if i + 1 < chars.count, chars[i + 1] == "=" || (c == "<" && chars[i + 1] == ">") { op.append(chars[i + 1]) }
        guard op != "!" else { throw error("'!' must be followed by '='", at: start, token: "!") }
        tokens.append(.init(kind: .op, text: op == "<>" ? "!=" : op, position: start))
        i += op.count
      default:
        var j = i
        if c.isNumber || c == "-" || c == "+" || c == "." {
          while j < chars.count, chars[j].isNumber || "+-.eE".contains(chars[j]) { j += 1 }
          let word = String(chars[i..<j])
          guard Double(word) != nil else { throw error("'\(word)' is not a number", at: start, token: word) }
          tokens.append(.init(kind: .number, text: word, position: start))
          i = j
          continue
        }
        while j < chars.count, chars[j].isLetter || chars[j].isNumber || "_.".contains(chars[j]) { j += 1 }
        guard j > i else { throw error("unexpected character '\(c)'", at: start, token: String(c)) }
        tokens.append(.init(kind: .identifier, text: String(chars[i..<j]), position: start))
        i = j
      }
    }
    tokens.append(.init(kind: .end, text: "end of filter", position: chars.count + 1))
    return tokens
  }

  static func error(_ what: String, at position: Int, token: String) -> FilterSyntaxError {
    FilterSyntaxError(what: what, position: position, token: token)
  }
}

/// A filter that does not lex: what was wrong, at which 1-based position, on which token.
public struct FilterSyntaxError: Error, Sendable, Equatable {
  public var what: String
  public var position: Int
  public var token: String

  public init(what: String, position: Int, token: String) {
    self.what = what
    self.position = position
    self.token = token
  }

  /// "unterminated ' quote at position 12 ('x)" — the form every area's message uses.
  public var reason: String { "\(what) at position \(position) ('\(token)')" }
}
