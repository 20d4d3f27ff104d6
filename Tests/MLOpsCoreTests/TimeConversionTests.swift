import MLOpsCore
import MLOpsProto
import SwiftProtobuf
import Testing

/// Client times become epoch milli- and microseconds; any Int64 a client sends must come out
/// as a value or a refusal, never an overflow (which traps and ends the process).
@Suite("Protobuf times")
struct TimeConversionTests {
  @Test("times in range convert exactly, negative ones included, and round-trip")
  func inRange() {
    for micros: Int64 in [
      0, 1, -1, -1_500_001, 1_790_000_000_123_456, TimeRange.microseconds.lowerBound, TimeRange.microseconds.upperBound,
    ] {
      let t = Google_Protobuf_Timestamp(microseconds: micros)
      #expect(t.isValid && t.checkedMicroseconds == micros, "\(micros)")
    }
    for millis: Int64 in [0, -1, -1500, 1_790_000_000_123] {
      let t = Google_Protobuf_Timestamp(milliseconds: millis)
      #expect(t.isValid && t.checkedMilliseconds == millis, "\(millis)")
    }
  }

  @Test("times outside protobuf's range are refused by the checked forms and clamped by the others")
  func outOfRange() throws {
    for (seconds, nanos): (Int64, Int32) in [(Int64.max, 0), (Int64.min, 0), (-Int64.max, 0), (0, -1_000_000_000), (0, 1_000_000_000)] {
      let t = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
      #expect(t.checkedMicroseconds == nil && t.checkedMilliseconds == nil, "\(seconds), \(nanos)")
      #expect(TimeRange.microseconds.contains(t.microseconds))
      #expect(throws: Refused.self) { try t.milliseconds { Refused(reason: $0) } }
    }
    // Extreme inputs to the constructors do not trap either.
    _ = Google_Protobuf_Timestamp(microseconds: Int64.min)
    _ = Google_Protobuf_Timestamp(milliseconds: Int64.min)
    #expect(Google_Protobuf_Timestamp(microseconds: Int64.min).checkedMicroseconds == nil)
  }

  @Test("durations: in range converts, beyond ±10,000 years or with mixed signs is refused")
  func durations() {
    #expect(Google_Protobuf_Duration(seconds: 2, nanos: 500_000_000).checkedMicroseconds == 2_500_000)
    #expect(Google_Protobuf_Duration(seconds: -2, nanos: -500_000_000).checkedMilliseconds == -2_500)
    for d in [Google_Protobuf_Duration(seconds: Int64.max, nanos: 0), Google_Protobuf_Duration(seconds: 1, nanos: -1)] {
      #expect(d.checkedMicroseconds == nil && d.checkedMilliseconds == nil)
      _ = d.milliseconds
    }
  }

  struct Refused: Error {
    let reason: String
  }
}
