import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsMonitor
import MLOpsProto
import MLOpsTestSupport
import Testing

/// A real monitor on loopback with its background evaluation running (a fast tick, so timed
/// windows close within a test).
struct MonitorHarness {
  typealias Client = Mlops_Monitor_V1_MonitorService.Client<HTTP2ClientTransport.Posix>
  let client: Client
  /// The monitor's own HTTP port (/healthz, /metrics): a real listener that answers 404 to
  /// any other path, for webhook outcomes.
  let httpPort: Int

  /// - Parameters:
  ///   - clock: pins the monitor's clock (epoch milliseconds) when set.
  ///   - windowCacheBytes: memory for decoded closed windows; 0 reads each from storage.
  static func with(
    _ backend: TestBackend, clock: Int64? = nil, windowCacheBytes: Int = MonitorEngine.defaultWindowCacheBytes,
    _ body: (MonitorHarness) async throws -> Void
  ) async throws {
    try await backend.withStorage(migrations: MonitorSchema.migrations) { storage in
      try await with(storage: storage, clock: clock, windowCacheBytes: windowCacheBytes, body)
    }
  }

  /// A monitor on storage the test prepared (an older schema's data, say).
  static func with(
    storage: Storage, clock: Int64? = nil, windowCacheBytes: Int = MonitorEngine.defaultWindowCacheBytes,
    _ body: (MonitorHarness) async throws -> Void
  ) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let metrics = RPCMetrics()
    let (service, background) =
      if let clock {
        MonitorRuntime.services(
          storage: storage, logger: logger, tick: .milliseconds(50), windowCacheBytes: windowCacheBytes, metrics: metrics.registry,
          webhooks: WebhookTargets(allowPrivate: true), clock: { clock })
      } else {
        MonitorRuntime.services(
          storage: storage, logger: logger, tick: .milliseconds(50), windowCacheBytes: windowCacheBytes, metrics: metrics.registry,
          webhooks: WebhookTargets(allowPrivate: true))
      }
    try await RunningServer.with(services: [service], background: background, metrics: metrics) { server, client in
      try await body(MonitorHarness(client: Client(wrapping: client), httpPort: server.httpPort))
    }
  }

  /// A numeric feature x, a categorical feature color, a numeric prediction score.
  static func definition(_ name: String, windowSize: Int64 = 100) -> Mlops_Monitor_V1_Monitor {
    .with {
      $0.name = name
      $0.deployment = "fraud"
      $0.columns = [
        .with {
          $0.name = "x"
          $0.kind = .numerical
        },
        .with {
          $0.name = "color"
          $0.kind = .categorical
        },
        .with {
          $0.name = "score"
          $0.kind = .numerical
          $0.role = .prediction
        },
      ]
      $0.task = .classification
      $0.window.size = windowSize
    }
  }

  static func row(x: Double, color: String) -> Mlops_Common_V1_Row {
    .with { $0.values = ["x": .with { $0.doubleValue = x }, "color": .with { $0.stringValue = color }] }
  }

  /// Reference: x = 0…n−1, colors alternating red/blue.
  func setReference(_ monitor: String, rows n: Int = 1000) async throws -> Mlops_Monitor_V1_SetReferenceResponse {
    let rows = (0..<n).map { Self.row(x: Double($0), color: $0 % 2 == 0 ? "red" : "blue") }
    return try await client.setReference(
      requestProducer: { writer in
        try await writer.write(.with { $0.header = .with { $0.monitor = monitor } })
        for start in stride(from: 0, to: rows.count, by: 300) {
          try await writer.write(.with { $0.rows = .with { $0.rows = Array(rows[start..<min(start + 300, rows.count)]) } })
        }
      })
  }

  /// `count` predictions with x shifted by `shift`, request ids "<prefix>-i".
  func log(_ monitor: String, count: Int, shift: Double, prefix: String, score: Double = 0.7) async throws -> Int64 {
    let records: [Mlops_Monitor_V1_PredictionRecord] = (0..<count).map { i in
      .with {
        $0.requestID = "\(prefix)-\(i)"
        $0.deployment = "fraud"
        $0.features = [
          "x": .with { $0.doubleValue = Double(i * 10 % 1000) + shift }, "color": .with { $0.stringValue = i % 2 == 0 ? "red" : "blue" },
        ]
        $0.outputs = ["score": .with { $0.doubleValue = score }]
        $0.latencyMs = 2
      }
    }
    return try await client.logPredictions(
      .with {
        $0.monitor = monitor
        $0.records = records
      }
    ).recordsAccepted
  }

  /// The value of an unlabelled series on the monitor's `/metrics`, nil when absent.
  func metric(_ name: String) async throws -> Double? {
    let page = try await HTTPGet.fetch(host: "127.0.0.1", port: httpPort, path: "/metrics").body
    return page.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
  }

  /// Polls until `condition` holds on the monitor's reports (newest first) or 30 s pass.
  func reports(_ monitor: String, until condition: ([Mlops_Monitor_V1_DriftReport]) -> Bool) async throws -> [Mlops_Monitor_V1_DriftReport]
  {
    var reports: [Mlops_Monitor_V1_DriftReport] = []
    for _ in 0..<600 {
      reports = try await client.listDriftReports(.with { $0.monitor = monitor }).reports
      if condition(reports) { return reports }
      try await Task.sleep(for: .milliseconds(50))
    }
    return reports
  }
}
