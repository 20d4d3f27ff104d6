import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto
import SwiftProtobuf

/// The timed phases against a running feature server.
struct FeatureWorkload {
  let client: FeatureBench.Client
  let data: BenchData

  static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

  func run(joinSizes: [Int]) async throws -> [String: Any] {
    try await define()
    var results: [String: Any] = ["entities": data.entities]
    let rows = (0..<data.entities).map(data.row)
    let batches = stride(from: 0, to: data.entities, by: 5_000).map { data.columns($0..<min($0 + 5_000, data.entities)) }
    let push = try await timed { try await pushStream("bench", batches, to: .onlineAndOffline) }
    results["push_rows_per_s"] = Double(data.entities) / push
    let maps = try await timed { try await pushStream("bench_rows", rows, to: .onlineAndOffline) }
    results["push_map_rows_per_s"] = Double(rows.count) / maps
    let offline = try await timed { try await pushStream("bench_mat", batches, to: .offline) }
    results["push_offline_rows_per_s"] = Double(data.entities) / offline
    var written: Int64 = 0
    results["materialize_s"] = try await timed {
      written = try await client.materialize(
        .with {
          $0.featureViews = ["bench_mat"]
          $0.startTime = .init(seconds: BenchData.base - 3 * 86_400, nanos: 0)
          $0.endTime = .init(seconds: BenchData.base + 1, nanos: 0)
        }
      ).results[0].rowsWritten
    }
    results["materialize_rows"] = written
    for size in joinSizes {
      var found = 0
      results["join_\(size)_s"] = try await timed { found = try await join(size) }
      results["join_\(size)_found"] = found
    }
    return results
  }

  func define() async throws {
    _ = try await client.applyEntity(
      .with {
        $0.entity = .with {
          $0.name = "driver"
          $0.joinKey = "driver_id"
          $0.valueType = .int64
        }
      })
    for view in ["bench", "bench_rows", "bench_mat"] {
      _ = try await client.applyFeatureView(
        .with {
          $0.featureView = .with {
            $0.name = view
            $0.entities = ["driver"]
            $0.features = (0..<BenchData.features).map { j in
              .with {
                $0.name = "f\(j)"
                $0.type = .double
              }
            }
            $0.ttl.seconds = 2 * 86_400
          }
        })
    }
  }

  func timed(_ body: () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await body()
    return Self.seconds(ContinuousClock.now - start)
  }

  /// Column batches, one message each.
  func pushStream(_ view: String, _ batches: [Mlops_Features_V1_FeatureColumns], to target: Mlops_Features_V1_PushTarget) async throws {
    let response = try await client.pushStream(requestProducer: { writer in
      for batch in batches {
        try await writer.write(
          .with {
            $0.featureView = view
            $0.to = target
            $0.columns = batch
          })
      }
    })
    let expected = batches.reduce(0) { $0 + $1.eventTimeMicros.count }
    guard response.rowsWritten == expected else { throw BenchFailure("pushed \(expected), written \(response.rowsWritten)") }
  }

  /// Rows with one map per row, 1,000 per message.
  func pushStream(_ view: String, _ rows: [Mlops_Features_V1_FeatureRow], to target: Mlops_Features_V1_PushTarget) async throws {
    let response = try await client.pushStream(requestProducer: { writer in
      for start in stride(from: 0, to: rows.count, by: 1000) {
        try await writer.write(
          .with {
            $0.featureView = view
            $0.to = target
            $0.rows = Array(rows[start..<min(start + 1000, rows.count)])
          })
      }
    })
    guard response.rowsWritten == rows.count else { throw BenchFailure("pushed \(rows.count), written \(response.rowsWritten)") }
  }

  /// Joins `size` entity rows sent and answered as columns; returns how many found a value.
  func join(_ size: Int) async throws -> Int {
    let request = Mlops_Features_V1_GetHistoricalFeaturesRequest.with {
      $0.features = BenchData.references("bench")
      $0.entityColumns = data.joinColumns(size)
      $0.columnar = true
    }
    return try await client.getHistoricalFeatures(request) { response in
      var rows = 0
      var found = 0
      for try await message in response.messages {
        rows += message.columns.rowIndex.count
        found += message.columns.features[0].status.filter { $0 == Int32(Mlops_Features_V1_FeatureStatus.present.rawValue) }.count
      }
      guard rows == size else { throw BenchFailure("joined \(rows) of \(size) rows") }
      return found
    }
  }
}

struct BenchFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
