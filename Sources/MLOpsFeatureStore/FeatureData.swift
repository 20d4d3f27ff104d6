import Foundation

/// One feature value as the store keeps it: typed, or null. Values are compared by their
/// encoding (``FeatureData/encoded``), so a stored NaN equals itself in a consistency check.
public enum FeatureData: Sendable, Hashable {
  case null
  case int64(Int64)
  case double(Double)
  case float(Float)
  case string(String)
  case bool(Bool)
  case bytes(Data)
  case int64List([Int64])
  case doubleList([Double])
  case floatList([Float])
  case stringList([String])
  case boolList([Bool])

  /// The value's type; nil for null.
  public var type: FeatureType? {
    switch self {
    case .null: nil
    case .int64: .int64
    case .double: .double
    case .float: .float
    case .string: .string
    case .bool: .bool
    case .bytes: .bytes
    case .int64List: .int64List
    case .doubleList: .doubleList
    case .floatList: .floatList
    case .stringList: .stringList
    case .boolList: .boolList
    }
  }

  public var isNull: Bool { if case .null = self { true } else { false } }

  /// The value as a feature of `declared` type, or nil when it is not one. A float and a
  /// double are interchangeable (clients rarely have both), everything else is exact.
  public func conformed(to declared: FeatureType) -> FeatureData? {
    switch (self, declared) {
    case (.null, _): .null
    case (.double(let v), .float): .float(Float(v))
    case (.float(let v), .double): .double(Double(v))
    case (.doubleList(let v), .floatList): .floatList(v.map(Float.init))
    case (.floatList(let v), .doubleList): .doubleList(v.map(Double.init))
    default: type == declared ? self : nil
    }
  }
}
