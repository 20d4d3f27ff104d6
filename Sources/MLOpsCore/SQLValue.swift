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
    case .double(let value): Int64(value)
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
  public static func json<T: Encodable>(_ value: T) throws -> SQLValue {
    .text(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
  }

  /// The record stored by ``json(_:)``.
  public func decoded<T: Decodable>(_ type: T.Type) throws -> T {
    try JSONDecoder().decode(type, from: blob)
  }
}
