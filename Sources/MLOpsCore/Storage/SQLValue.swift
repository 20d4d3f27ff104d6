import Foundation

/// One bound parameter or result cell of a ``SQLExecutor`` statement: the few types a
/// repository written once for both backends needs.
public enum SQLValue: Sendable, Equatable {
  case null
  case int(Int64)
  case double(Double)
  case text(String)
  case blob(Data)

  /// The integer in the cell; 0 for NULL, so a `COUNT(*)` or `MAX(...)` reads naturally.
  public var int: Int64 {
    switch self {
    case .int(let value): value
    case .double(let value): value.clampedInt64
    case .text(let value): Int64(value) ?? 0
    default: 0
    }
  }

  public var double: Double? {
    switch self {
    case .double(let value): value
    case .int(let value): Double(value)
    default: nil
    }
  }

  public var text: String {
    switch self {
    case .text(let value): value
    case .int(let value): String(value)
    case .blob(let data): String(decoding: data, as: UTF8.self)
    default: ""
    }
  }

  public var blob: Data {
    switch self {
    case .blob(let data): data
    case .text(let value): Data(value.utf8)
    default: Data()
    }
  }

  public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
  public init(stringLiteral value: String) { self = .text(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
}

extension SQLValue {
  /// A Codable record as a JSON text cell: how services store definitions and reports beside
  /// the columns their lookups need.
  /// Non-finite numbers are written as the strings "Infinity", "-Infinity" and "NaN": a drift
  /// statistic over values near Double's limits can be infinite, and plain JSON has no such
  /// number (the encoder threw, and the client saw INTERNAL).
  public static func json<T: Encodable>(_ value: T) throws -> SQLValue {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return .text(String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  /// The record stored by ``json(_:)``.
  public func decoded<T: Decodable>(_ type: T.Type) throws -> T {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try decoder.decode(type, from: blob)
  }
}
