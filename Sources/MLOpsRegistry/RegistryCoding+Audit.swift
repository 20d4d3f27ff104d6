import Foundation

/// The audit trail's JSON of a whole version: the stored document with its enums spelled as
/// names (`"stage": "Production"`, `"status": "READY"`), as the trail's other entries already
/// are — a reader of `mlops audit` should not need the proto to read a row.
extension RegistryCoding {
  /// `record` as the audit trail shows it.
  static func audit(_ record: ModelVersionRecord) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(encode(record).utf8)),
      let text = try? JSONSerialization.data(withJSONObject: named(object), options: [.sortedKeys, .fragmentsAllowed])
    else { return encode(record) }
    return String(decoding: text, as: UTF8.self)
  }

  /// Names for the integer enums of a version document, by key.
  private static let names: [String: [Int: String]] = [
    "stage": Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, $0.name) }),
    "status": [1: "PENDING_REGISTRATION", 2: "FAILED_REGISTRATION", 3: "READY"],
    "decision": [1: "APPROVE", 2: "REJECT"],
    "type": [
      0: "UNSPECIFIED", 1: "INT64", 2: "DOUBLE", 3: "FLOAT", 4: "STRING", 5: "BOOL", 6: "BYTES", 7: "INT64_LIST", 8: "DOUBLE_LIST",
      9: "FLOAT_LIST", 10: "STRING_LIST", 11: "BOOL_LIST",
    ],
  ]

  private static func named(_ value: Any) -> Any {
    if let list = value as? [Any] { return list.map(named) }
    guard let object = value as? [String: Any] else { return value }
    var out: [String: Any] = [:]
    for (key, item) in object {
      if let table = names[key], let number = item as? NSNumber, let name = table[number.intValue] {
        out[key] = name
      } else {
        out[key] = named(item)
      }
    }
    return out
  }
}
