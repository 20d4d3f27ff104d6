/// The declared type of a feature or join key. Raw values are `mlops.common.v1.ValueType`'s,
/// so a stored definition and the wire agree without a table.
public enum FeatureType: Int, Codable, Sendable, CaseIterable {
  case int64 = 1, double, float, string, bool, bytes
  case int64List, doubleList, floatList, stringList, boolList

  /// The types an entity's join key may have: the ones that compare exactly and print as a key.
  public var isJoinKeyType: Bool { self == .int64 || self == .string || self == .bytes }

  /// The name users write in definition files and see in messages.
  public var name: String {
    switch self {
    case .int64: "int64"
    case .double: "double"
    case .float: "float"
    case .string: "string"
    case .bool: "bool"
    case .bytes: "bytes"
    case .int64List: "int64_list"
    case .doubleList: "double_list"
    case .floatList: "float_list"
    case .stringList: "string_list"
    case .boolList: "bool_list"
    }
  }
}
