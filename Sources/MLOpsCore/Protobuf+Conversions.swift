import MLOpsProto
import SwiftProtobuf

extension Google_Protobuf_Timestamp {
  /// From epoch milliseconds, the unit every service stores times in (as MLflow does).
  public init(milliseconds: Int64) {
    self.init(seconds: milliseconds / 1000, nanos: Int32((milliseconds % 1000) * 1_000_000))
  }

  /// Epoch milliseconds.
  public var milliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }
}

extension Google_Protobuf_Timestamp {
  /// From epoch microseconds, the unit feature times are stored in (pandas and Feast keep
  /// sub-millisecond event times; a point-in-time join must not round them).
  public init(microseconds: Int64) {
    let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
    self.init(seconds: seconds, nanos: Int32((microseconds - seconds * 1_000_000) * 1000))
  }

  /// Epoch microseconds.
  public var microseconds: Int64 { seconds * 1_000_000 + Int64(nanos / 1000) }
}

extension Google_Protobuf_Duration {
  /// From milliseconds, the unit monitors store windows and cooldowns in.
  public init(milliseconds: Int64) {
    self.init(seconds: milliseconds / 1000, nanos: Int32((milliseconds % 1000) * 1_000_000))
  }

  public var milliseconds: Int64 { seconds * 1000 + Int64(nanos / 1_000_000) }
}

extension Mlops_Common_V1_Tag {
  /// Stored tags on the wire, in key order so responses are stable.
  public static func inKeyOrder(_ tags: [String: String]) -> [Mlops_Common_V1_Tag] {
    tags.sorted { $0.key < $1.key }.map { t in .with { $0.key = t.key; $0.value = t.value } }
  }
}
