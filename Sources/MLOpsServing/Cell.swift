/// One named value of a prediction row, in or out: the router's view of `mlops.common.v1.Value`
/// without generated types.
public enum Cell: Sendable, Equatable {
  case null
  case int(Int64)
  case double(Double)
  case string(String)
  case bool(Bool)
  case ints([Int64])
  case doubles([Double])
  case strings([String])
  case bools([Bool])

  /// The values a row holds for one input, scalars as one value.
  var count: Int {
    switch self {
    case .null, .int, .double, .string, .bool: 1
    case .ints(let v): v.count
    case .doubles(let v): v.count
    case .strings(let v): v.count
    case .bools(let v): v.count
    }
  }

  /// What a message names when this cell does not fit ("a string", "a list of 3 numbers").
  var kindDescription: String {
    switch self {
    case .null: "null"
    case .int, .double: "a number"
    case .string: "a string"
    case .bool: "a bool"
    case .ints(let v): "a list of \(v.count) integers"
    case .doubles(let v): "a list of \(v.count) numbers"
    case .strings(let v): "a list of \(v.count) strings"
    case .bools(let v): "a list of \(v.count) bools"
    }
  }
}
