import Foundation

/// Pushed rows as columns (`PushRequest.columns`): each column's type is checked once, and
/// rows are encoded straight from the typed arrays.
public struct ColumnBatch: Sendable {
  /// One column's values, in one of the scalar types a column can carry.
  public enum Values: Sendable {
    case int64([Int64]), double([Double]), float([Float]), string([String]), bool([Bool]), bytes([Data])

    var count: Int {
      switch self {
      case .int64(let v): v.count
      case .double(let v): v.count
      case .float(let v): v.count
      case .string(let v): v.count
      case .bool(let v): v.count
      case .bytes(let v): v.count
      }
    }

    var type: FeatureType {
      switch self {
      case .int64: .int64
      case .double: .double
      case .float: .float
      case .string: .string
      case .bool: .bool
      case .bytes: .bytes
      }
    }

    subscript(row: Int) -> FeatureData {
      switch self {
      case .int64(let v): .int64(v[row])
      case .double(let v): .double(v[row])
      case .float(let v): .float(v[row])
      case .string(let v): .string(v[row])
      case .bool(let v): .bool(v[row])
      case .bytes(let v): .bytes(v[row])
      }
    }
  }

  /// A column and the rows where it is null (their entries in `values` are placeholders).
  public struct Column: Sendable {
    public var values: Values?
    public var nullRows: [Int32]

    public init(values: Values?, nullRows: [Int32] = []) {
      self.values = values
      self.nullRows = nullRows
    }
  }

  public var eventTimes: [Int64]
  /// Empty: every row is created when the server receives it.
  public var createdTimes: [Int64]
  public var keys: [String: Column]
  public var features: [String: Column]

  public init(eventTimes: [Int64], createdTimes: [Int64] = [], keys: [String: Column], features: [String: Column]) {
    self.eventTimes = eventTimes
    self.createdTimes = createdTimes
    self.keys = keys
    self.features = features
  }
}
