import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Feature values as people type them (CSV cells, `--entity driver_id=1001`) and as the CLI
/// prints them.
enum FeatureValueText {
  /// `text` as a value of `type`; an empty cell is null. Lists are JSON arrays (`[1, 2]`).
  static func value(_ text: String, type: Mlops_Common_V1_ValueType, field: String) throws -> Mlops_Common_V1_Value {
    func fail() -> StartupError { StartupError("\(field): '\(text)' is not a \(type)") }
    if text.isEmpty { return .with { $0.nullValue = .nullValue } }
    switch type {
    case .int64:
      guard let v = Int64(text) else { throw fail() }
      return .with { $0.int64Value = v }
    case .double:
      guard let v = Double(text) else { throw fail() }
      return .with { $0.doubleValue = v }
    case .float:
      guard let v = Float(text) else { throw fail() }
      return .with { $0.floatValue = v }
    case .string: return .with { $0.stringValue = text }
    case .bool:
      guard let v = ["true": true, "false": false, "1": true, "0": false][text.lowercased()] else { throw fail() }
      return .with { $0.boolValue = v }
    case .bytes:
      guard let v = Data(base64Encoded: text) else { throw fail() }
      return .with { $0.bytesValue = v }
    default: return try list(text, type: type, fail: fail)
    }
  }

  private static func list(_ text: String, type: Mlops_Common_V1_ValueType, fail: () -> StartupError) throws -> Mlops_Common_V1_Value {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
      guard let values = try? JSONDecoder().decode(T.self, from: Data(text.utf8)) else { throw fail() }
      return values
    }
    switch type {
    case .int64List: return try .with { $0.int64List.values = try decoded([Int64].self) }
    case .doubleList: return try .with { $0.doubleList.values = try decoded([Double].self) }
    case .floatList: return try .with { $0.floatList.values = try decoded([Float].self) }
    case .stringList: return try .with { $0.stringList.values = try decoded([String].self) }
    case .boolList: return try .with { $0.boolList.values = try decoded([Bool].self) }
    default: throw fail()
    }
  }

  /// `key=value[,key=value]` typed by the views' join keys.
  static func entityRow(_ text: String, types: [String: Mlops_Common_V1_ValueType]) throws -> Mlops_Common_V1_Row {
    var row = Mlops_Common_V1_Row()
    for pair in text.split(separator: ",") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let type = types[parts[0]] else {
        throw StartupError("--entity \(text): expected key=value with a join key of \(types.keys.sorted())")
      }
      row.values[parts[0]] = try value(parts[1], type: type, field: "--entity \(parts[0])")
    }
    return row
  }

  /// ISO 8601 (fractional seconds and offsets allowed) or epoch seconds.
  static func timestamp(_ text: String, option: String) throws -> Google_Protobuf_Timestamp {
    if let seconds = Double(text) { return Google_Protobuf_Timestamp(timeIntervalSince1970: seconds) }
    let formatter = ISO8601DateFormatter()
    for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
      formatter.formatOptions = options
      if let date = formatter.date(from: text) { return Google_Protobuf_Timestamp(date: date) }
    }
    throw StartupError("\(option): '\(text)' is neither ISO 8601 nor epoch seconds")
  }

  static func time(_ t: Google_Protobuf_Timestamp) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: t.date)
  }

  static func describe(_ v: Mlops_Common_V1_Value, status: Mlops_Features_V1_FeatureStatus) -> String {
    switch status {
    case .notFound: return "NOT_FOUND"
    case .outsideMaxAge: return "OUTSIDE_MAX_AGE"
    case .nullValue: return "null"
    default: break
    }
    switch v.kind {
    case .int64Value(let x)?: return String(x)
    case .doubleValue(let x)?: return String(x)
    case .floatValue(let x)?: return String(x)
    case .stringValue(let x)?: return x
    case .boolValue(let x)?: return String(x)
    case .bytesValue(let x)?: return x.base64EncodedString()
    case .int64List(let x)?: return "\(x.values)"
    case .doubleList(let x)?: return "\(x.values)"
    case .floatList(let x)?: return "\(x.values)"
    case .stringList(let x)?: return "\(x.values)"
    case .boolList(let x)?: return "\(x.values)"
    case .nullValue?, nil: return "null"
    }
  }
}
