import MLOpsProto
import SwiftProtobuf

/// The times protobuf allows a Timestamp: 0001-01-01 to 9999-12-31, UTC. Client times outside
/// it are refused. In milli- or microseconds they would overflow `Int64`, and an overflow traps,
/// taking the process down with the request. Engines check times that arrive as plain integers
/// against ``microseconds``.
public enum TimeRange {
  public static let seconds: ClosedRange<Int64> = -62_135_596_800...253_402_300_799
  public static let microseconds: ClosedRange<Int64> = seconds.lowerBound * 1_000_000...(seconds.upperBound * 1_000_000 + 999_999)
  /// Why a time was refused, for the error that names its field.
  public static let reason = "must lie between 0001-01-01 and 9999-12-31, with nanos under a second"
}

/// A protobuf time or duration a client sent, converted only when it is in protobuf's range.
public protocol CheckedProtobufTime {
  var checkedMilliseconds: Int64? { get }
  var checkedMicroseconds: Int64? { get }
  /// Why a value out of range was refused.
  static var rangeReason: String { get }
}

extension CheckedProtobufTime {
  /// Milliseconds of a client's value; out of range, throws the area's INVALID_ARGUMENT
  /// built from the reason (`{ AreaError.invalidArgument(field: "x", reason: $0) }`).
  public func milliseconds(orThrow error: (String) -> some Error) throws -> Int64 {
    guard let value = checkedMilliseconds else { throw error(Self.rangeReason) }
    return value
  }

  /// Microseconds of a client's value, checked like ``milliseconds(orThrow:)``.
  public func microseconds(orThrow error: (String) -> some Error) throws -> Int64 {
    guard let value = checkedMicroseconds else { throw error(Self.rangeReason) }
    return value
  }
}

extension Google_Protobuf_Timestamp: CheckedProtobufTime {
  public static var rangeReason: String { TimeRange.reason }

  /// Whether seconds are in protobuf's range (``TimeRange``) and nanos under a second. Negative
  /// nanos, which protobuf's normal form excludes, are taken as before: ``init(milliseconds:)``
  /// writes them for times before 1970.
  public var isValid: Bool { TimeRange.seconds.contains(seconds) && (-999_999_999...999_999_999).contains(nanos) }

  /// From epoch milliseconds, the unit every service stores times in (as MLflow does).
  public init(milliseconds: Int64) {
    self.init(seconds: milliseconds / 1000, nanos: Int32((milliseconds % 1000) * 1_000_000))
  }

  /// Epoch milliseconds, or nil outside protobuf's range (see ``TimeRange``).
  public var checkedMilliseconds: Int64? { isValid ? milliseconds : nil }

  /// Epoch milliseconds; outside protobuf's range the time is clamped into it, so a caller
  /// that skipped ``checkedMilliseconds`` cannot overflow.
  public var milliseconds: Int64 { clampedSeconds * 1000 + Int64(clampedNanos / 1_000_000) }
}

extension Google_Protobuf_Timestamp {
  /// From epoch microseconds, the unit feature times are stored in (pandas and Feast keep
  /// sub-millisecond event times; a point-in-time join must not round them).
  public init(microseconds: Int64) {
    let (seconds, rest) = Self.floorDivide(microseconds, 1_000_000)
    self.init(seconds: seconds, nanos: Int32(rest * 1000))
  }

  /// Epoch microseconds, or nil outside protobuf's range (see ``TimeRange``).
  public var checkedMicroseconds: Int64? { isValid ? microseconds : nil }

  /// Epoch microseconds, clamped like ``milliseconds``.
  public var microseconds: Int64 { clampedSeconds * 1_000_000 + Int64(clampedNanos / 1000) }

  private var clampedSeconds: Int64 { min(max(seconds, TimeRange.seconds.lowerBound), TimeRange.seconds.upperBound) }
  private var clampedNanos: Int32 { min(max(nanos, -999_999_999), 999_999_999) }

  /// Division rounding down, and its non-negative remainder; never overflows.
  static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
    let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }
}

extension Google_Protobuf_Duration: CheckedProtobufTime {
  /// The seconds protobuf allows a Duration (about ±10,000 years).
  public static let validSeconds: ClosedRange<Int64> = -315_576_000_000...315_576_000_000
  /// Why a duration was refused, for the error that names its field.
  public static var rangeReason: String { "must lie within ±315576000000 seconds, with nanos in (-1e9, 1e9) of the same sign" }

  /// Whether seconds and nanos are in protobuf's range, with the same sign.
  public var isValid: Bool {
    Self.validSeconds.contains(seconds) && (-999_999_999...999_999_999).contains(nanos)
      && !(seconds > 0 && nanos < 0) && !(seconds < 0 && nanos > 0)
  }

  /// From milliseconds, the unit monitors store windows and cooldowns in.
  public init(milliseconds: Int64) {
    self.init(seconds: milliseconds / 1000, nanos: Int32((milliseconds % 1000) * 1_000_000))
  }

  /// Milliseconds, or nil outside protobuf's range.
  public var checkedMilliseconds: Int64? { isValid ? milliseconds : nil }

  /// Milliseconds; outside protobuf's range the duration is clamped into it.
  public var milliseconds: Int64 {
    min(max(seconds, Self.validSeconds.lowerBound), Self.validSeconds.upperBound) * 1000
      + Int64(min(max(nanos, -999_999_999), 999_999_999) / 1_000_000)
  }

  /// Microseconds, or nil outside protobuf's range.
  public var checkedMicroseconds: Int64? { isValid ? seconds * 1_000_000 + Int64(nanos / 1000) : nil }
}

extension Mlops_Common_V1_Tag {
  /// Stored tags on the wire, in key order so responses are stable.
  public static func inKeyOrder(_ tags: [String: String]) -> [Mlops_Common_V1_Tag] {
    tags.sorted { $0.key < $1.key }.map { t in
      .with {
        $0.key = t.key
        $0.value = t.value
      }
    }
  }
}
