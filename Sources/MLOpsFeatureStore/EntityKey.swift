import Foundation

/// A view's entity key as one string: the join key values in the view's key order, separated
/// by U+001F. It is the online store's dictionary key and the offline log's indexed column;
/// both backends order it bytewise (PostgreSQL's column is `COLLATE "C"`).
public enum EntityKey {
  static let separator: Character = "\u{1F}"

  /// The key of `values` for a view with `keys`.
  /// - Throws: INVALID_ARGUMENT naming `field.<join key>` for a missing or mistyped key.
  public static func make(_ values: [String: FeatureData], keys: [FeatureViewDefinition.JoinKey], field: String) throws -> String {
    if keys.count == 1 { return try component(values[keys[0].name], keys[0], field: field) }
    var parts: [String] = []
    parts.reserveCapacity(keys.count)
    for key in keys { parts.append(try component(values[key.name], key, field: field)) }
    return parts.joined(separator: String(separator))
  }

  private static func component(_ value: FeatureData?, _ key: FeatureViewDefinition.JoinKey, field: String) throws -> String {
    switch (value, key.type) {
    case (.int64(let v)?, .int64): return String(v)
    case (.string(let v)?, .string):
      guard !v.contains(separator) else {
        throw FeatureStoreError.invalidArgument(field: "\(field).\(key.name)", reason: "a key may not contain U+001F")
      }
      return v
    case (.bytes(let v)?, .bytes): return v.map { String(format: "%02x", $0) }.joined()
    case (nil, _), (.null?, _):
      throw FeatureStoreError.invalidArgument(field: "\(field).\(key.name)", reason: "join key '\(key.name)' is required")
    case (let v?, _):
      throw FeatureStoreError.invalidArgument(
        field: "\(field).\(key.name)", reason: "join key '\(key.name)' is \(key.type.name), not \(v.type?.name ?? "null")")
    }
  }

  /// The join key values of a stored key, for answers that name the entity.
  public static func values(of key: String, keys: [FeatureViewDefinition.JoinKey]) -> [String: FeatureData] {
    let parts = keys.count == 1 ? [Substring(key)] : key.split(separator: separator, omittingEmptySubsequences: false)
    var out: [String: FeatureData] = [:]
    for (part, joinKey) in zip(parts, keys) {
      switch joinKey.type {
      case .int64: out[joinKey.name] = .int64(Int64(part) ?? 0)
      case .bytes: out[joinKey.name] = .bytes(hexBytes(part))
      default: out[joinKey.name] = .string(String(part))
      }
    }
    return out
  }

  private static func hexBytes(_ hex: Substring) -> Data {
    var data = Data()
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
      data.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return data
  }
}
