import Foundation

/// The fields of one MLflow REST request, whichever way they came: a JSON body (POST, PATCH,
/// DELETE) or query parameters (GET). MLflow's Python client writes int64 fields as JSON
/// strings and doubles as numbers or "NaN"; each accessor takes every form a client sends and
/// names the field when it cannot.
public struct MLflowParams: Sendable {
  private let values: [String: JSONValue]

  /// Parameters read from a JSON object body (empty body: none).
  /// - Throws: ``MLflowError`` INVALID_PARAMETER_VALUE when the body is not a JSON object.
  public init(json body: [UInt8]) throws {
    guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
      values = [:]
      return
    }
    // Foundation's parser, then its values by type: decoding into a Codable enum tries each
    // case in turn and throws for every miss, which cost ~2 ms on a 100-metric log-batch.
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
      throw MLflowError.invalidParameter("the request body is not a JSON object")
    }
    values = object.mapValues(JSONValue.init(parsed:))
  }

  /// Parameters of a query string; a repeated name is a list (`experiment_ids=1&experiment_ids=2`).
  public init(query: [(String, String)]) {
    var values: [String: JSONValue] = [:]
    for (name, value) in query {
      switch values[name] {
      case nil: values[name] = .string(value)
      case .array(let list): values[name] = .array(list + [.string(value)])
      case let single?: values[name] = .array([single, .string(value)])
      }
    }
    self.values = values
  }

  /// Parameters of a raw query string as HTML forms and Python's `requests` write it: `+` is
  /// a space and `%2B` a plus, so decoding is done here, before percent-decoding.
  public init(formEncoded query: String) {
    self.init(
      query: query.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ text: Substring) -> String {
          let spaced = text.replacingOccurrences(of: "+", with: " ")
          return spaced.removingPercentEncoding ?? spaced
        }
        return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
      })
  }

  /// A string field; "" when absent.
  public func string(_ name: String) throws -> String {
    switch values[name] {
    case nil, .null: return ""
    case .string(let text): return text
    case .number(let number): return number.rounded() == number ? String(Int64(number)) : String(number)
    case .bool(let flag): return flag ? "true" : "false"
    default: throw MLflowError.invalidParameter("'\(name)' must be a string")
    }
  }

  /// A required string field.
  public func required(_ name: String) throws -> String {
    let value = try string(name)
    guard !value.isEmpty else { throw MLflowError.invalidParameter("missing value for required parameter '\(name)'") }
    return value
  }

  /// An integer field (a JSON number or a decimal string); nil when absent.
  public func int(_ name: String) throws -> Int64? {
    switch values[name] {
    case nil, .null: return nil
    case .number(let number) where number.rounded() == number && abs(number) < 9.2e18: return Int64(number)
    case .string(let text) where Int64(text) != nil: return Int64(text)
    default: throw MLflowError.invalidParameter("'\(name)' must be an integer")
    }
  }

  /// A boolean field (true/false, or "true"/"false" as query parameters carry it); false when absent.
  public func bool(_ name: String) throws -> Bool {
    switch values[name] {
    case nil, .null: return false
    case .bool(let flag): return flag
    case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
    default: throw MLflowError.invalidParameter("'\(name)' must be true or false")
    }
  }

  /// A double field (a number, or "NaN" / "Infinity" / "-Infinity" as protobuf's JSON writes them).
  public func double(_ name: String) throws -> Double? {
    switch values[name] {
    case nil, .null: return nil
    case .number(let number): return number
    case .string(let text) where Double(text) != nil: return Double(text)
    default: throw MLflowError.invalidParameter("'\(name)' must be a number")
    }
  }

  /// A list of strings; a single value is a list of one.
  public func strings(_ name: String) throws -> [String] {
    switch values[name] {
    case nil, .null: return []
    case .array(let list):
      return try list.map {
        guard case .string(let text) = $0 else { throw MLflowError.invalidParameter("'\(name)' must be a list of strings") }
        return text
      }
    case .string(let text): return [text]
    default: throw MLflowError.invalidParameter("'\(name)' must be a list of strings")
    }
  }

  /// A list of objects (tags, metrics, params, datasets).
  public func objects(_ name: String) throws -> [MLflowParams] {
    switch values[name] {
    case nil, .null: return []
    case .array(let list):
      return try list.map {
        guard case .object(let fields) = $0 else { throw MLflowError.invalidParameter("'\(name)' must be a list of objects") }
        return MLflowParams(fields)
      }
    default: throw MLflowError.invalidParameter("'\(name)' must be a list of objects")
    }
  }

  /// A nested object; nil when absent.
  public func object(_ name: String) throws -> MLflowParams? {
    switch values[name] {
    case nil, .null: return nil
    case .object(let fields): return MLflowParams(fields)
    default: throw MLflowError.invalidParameter("'\(name)' must be an object")
    }
  }

  /// `key`/`value` pairs of a list of tags.
  public func tags(_ name: String) throws -> [(key: String, value: String)] {
    try objects(name).map { (try $0.string("key"), try $0.string("value")) }
  }

  private init(_ values: [String: JSONValue]) {
    self.values = values
  }
}

/// Any JSON value.
enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// A value as Foundation's JSONSerialization gives it; booleans are told from numbers by
  /// their Objective-C type ("c"), as 1 and true are both NSNumbers.
  init(parsed value: Any) {
    switch value {
    case let text as String: self = .string(text)
    case let number as NSNumber:
      self = String(cString: number.objCType) == "c" ? .bool(number.boolValue) : .number(number.doubleValue)
    case let list as [Any]: self = .array(list.map(JSONValue.init(parsed:)))
    case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init(parsed:)))
    default: self = .null
    }
  }
}
