import Foundation
import MLOpsProto
import SwiftProtobuf

/// The benchmark's data as a formula both clients compute: entity i has driver_id 1,000,000 + i,
/// one event at BASE − (i mod 86,400) s (created at the same time) and features
/// f_j = ((31·i + 17·j) mod 1000) / 1000. Join row r asks for driver 1,000,000 + (7919·r mod N)
/// at BASE − 0.173·r s (every row distinct: Feast drops duplicate entity rows). Views keep a
/// 2-day TTL.
struct BenchData: Sendable {
  static let base: Int64 = 1_790_000_000
  static let features = 10
  let entities: Int

  static func value(_ i: Int, _ j: Int) -> Double { Double((31 * i + 17 * j) % 1000) / 1000 }

  static func key(_ driver: Int) -> [String: Mlops_Common_V1_Value] { ["driver_id": .with { $0.int64Value = Int64(1_000_000 + driver) }] }

  func row(_ i: Int) -> Mlops_Features_V1_FeatureRow {
    .with {
      $0.entityKey = Self.key(i)
      let time = Google_Protobuf_Timestamp(seconds: Self.base - Int64(i % 86_400), nanos: 0)
      $0.eventTime = time
      $0.createdTime = time
      for j in 0..<Self.features { $0.features["f\(j)"] = .with { $0.doubleValue = Self.value(i, j) } }
    }
  }

  func joinColumns(_ rows: Int) -> Mlops_Features_V1_EntityColumns {
    .with {
      $0.entityKey["driver_id"] = .with { $0.int64Values.values = (0..<rows).map { Int64(1_000_000 + 7919 * $0 % entities) } }
      $0.eventTimeMicros = (0..<rows).map { Self.base * 1_000_000 - Int64($0) * 173_000 }
    }
  }

  /// Entities [start, end) as one column batch.
  func columns(_ range: Range<Int>) -> Mlops_Features_V1_FeatureColumns {
    .with {
      let times = range.map { (Self.base - Int64($0 % 86_400)) * 1_000_000 }
      $0.eventTimeMicros = times
      $0.createdTimeMicros = times
      $0.entityKey["driver_id"] = .with { $0.int64Values.values = range.map { Int64(1_000_000 + $0) } }
      for j in 0..<Self.features {
        $0.features["f\(j)"] = .with { $0.doubleValues.values = range.map { Self.value($0, j) } }
      }
    }
  }

  static func references(_ view: String) -> [String] { (0..<features).map { "\(view):f\($0)" } }

  func onlineRequest(_ drivers: [Int]) -> Mlops_Features_V1_GetOnlineFeaturesRequest {
    .with {
      $0.features = Self.references("bench")
      $0.entityRows = drivers.map { d in .with { $0.values = Self.key(d) } }
    }
  }

  /// gRPC-framed request bodies (flag byte, big-endian length, message) for h2load.
  func writeBodies(to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let bodies = [("online_1.bin", onlineRequest([4242])), ("online_100.bin", onlineRequest((0..<100).map { $0 * 997 % entities }))]
    for (name, message) in bodies {
      let bytes: [UInt8] = try message.serializedBytes()
      var framed: [UInt8] = [0]
      for shift in [24, 16, 8, 0] { framed.append(UInt8(truncatingIfNeeded: bytes.count >> shift)) }
      try Data(framed + bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }
  }
}
