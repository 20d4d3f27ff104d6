import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsFeatureStore
import MLOpsProto
import MLOpsTestSupport
import SwiftProtobuf
import Synchronization
import Testing

/// A clock the test moves (epoch microseconds).
final class TestClock: Sendable {
  private let now = Mutex<Int64>(0)
  init(_ start: Int64) { now.withLock { $0 = start } }
  var value: Int64 { now.withLock { $0 } }
  func set(_ value: Int64) { now.withLock { $0 = value } }
}

/// A real feature server on loopback over fresh storage.
struct FeatureHarness {
  typealias Client = Mlops_Features_V1_FeatureStoreService.Client<HTTP2ClientTransport.Posix>
  let client: Client
  let storage: Storage
  let clock: TestClock

  static let second: Int64 = 1_000_000

  static func with(_ backend: TestBackend, clock: Int64 = 1_000 * second, _ body: (FeatureHarness) async throws -> Void) async throws {
    try await backend.withStorage(migrations: FeatureSchema.migrations) { storage in
      try await serve(storage, clock: TestClock(clock), body)
    }
  }

  /// A server over `storage` (a second call is a restart: memory is rebuilt from storage).
  static func serve(_ storage: Storage, clock: TestClock, _ body: (FeatureHarness) async throws -> Void) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let (service, follower) = try await FeatureStoreRuntime.services(
      storage: storage, logger: logger, tick: .milliseconds(20), clock: { clock.value })
    // With the process's fast routes: on the nghttp2 transport GetOnlineFeatures is answered on
    // the event loop (or deferred to the ordinary path when its view is not loaded yet).
    try await RunningServer.with(services: [service], background: [follower], fastRoutes: service.fastRoutes(logger: logger)) {
      _, client in
      try await body(FeatureHarness(client: Client(wrapping: client), storage: storage, clock: clock))
    }
  }

  /// Entity `driver` (int64 key driver_id) and view `driver_stats`: conv_rate double,
  /// trips int64, label string, the given TTL.
  func defineDrivers(view: String = "driver_stats", ttlSeconds: Int64 = 0) async throws {
    _ = try await client.applyEntity(
      .with {
        $0.entity = .with {
          $0.name = "driver"
          $0.joinKey = "driver_id"
          $0.valueType = .int64
        }
      })
    _ = try await client.applyFeatureView(.with { $0.featureView = Self.driverView(view, ttlSeconds: ttlSeconds) })
  }

  static func driverView(_ name: String, ttlSeconds: Int64 = 0) -> Mlops_Features_V1_FeatureView {
    .with {
      $0.name = name
      $0.entities = ["driver"]
      $0.features = [
        .with {
          $0.name = "conv_rate"
          $0.type = .double
        },
        .with {
          $0.name = "trips"
          $0.type = .int64
        },
        .with {
          $0.name = "label"
          $0.type = .string
        },
      ]
      $0.ttl.seconds = ttlSeconds
    }
  }

  static func row(driver: Int64, event: Int64, created: Int64? = nil, conv: Double? = nil, trips: Int64? = nil, label: String? = nil)
    -> Mlops_Features_V1_FeatureRow
  {
    .with {
      $0.entityKey = ["driver_id": .with { $0.int64Value = driver }]
      $0.eventTime = .init(microseconds: event)
      if let created { $0.createdTime = .init(microseconds: created) }
      if let conv { $0.features["conv_rate"] = .with { $0.doubleValue = conv } }
      if let trips { $0.features["trips"] = .with { $0.int64Value = trips } }
      if let label { $0.features["label"] = .with { $0.stringValue = label } }
    }
  }

  @discardableResult
  func push(_ rows: [Mlops_Features_V1_FeatureRow], to: Mlops_Features_V1_PushTarget = .onlineAndOffline) async throws
    -> Mlops_Features_V1_PushResponse
  {
    try await push("driver_stats", rows, to: to)
  }

  @discardableResult
  func push(_ view: String, _ rows: [Mlops_Features_V1_FeatureRow], to: Mlops_Features_V1_PushTarget = .onlineAndOffline)
    async throws -> Mlops_Features_V1_PushResponse
  {
    try await client.push(
      .with {
        $0.featureView = view
        $0.rows = rows
        $0.to = to
      })
  }

  /// Online values of `features` for each driver.
  func online(_ features: [String], drivers: [Int64]) async throws -> [[Mlops_Features_V1_FeatureValue]] {
    let response = try await client.getOnlineFeatures(
      .with {
        $0.features = features
        $0.entityRows = drivers.map { d in .with { $0.values = ["driver_id": .with { $0.int64Value = d }] } }
      })
    return response.results.map(\.values)
  }

  /// Every historical row, reordered by row index.
  func historical(_ features: [String], rows: [(driver: Int64, time: Int64)]) async throws -> [Mlops_Features_V1_HistoricalRow] {
    let request = Mlops_Features_V1_GetHistoricalFeaturesRequest.with {
      $0.features = features
      $0.entityRows = rows.map { r in
        .with {
          $0.entityKey = ["driver_id": .with { $0.int64Value = r.driver }]
          $0.eventTime = .init(microseconds: r.time)
        }
      }
    }
    return try await client.getHistoricalFeatures(request) { response in
      var out: [Mlops_Features_V1_HistoricalRow] = []
      for try await message in response.messages { out += message.rows }
      return out.sorted { $0.rowIndex < $1.rowIndex }
    }
  }
}
