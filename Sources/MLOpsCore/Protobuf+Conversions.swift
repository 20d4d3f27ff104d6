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
