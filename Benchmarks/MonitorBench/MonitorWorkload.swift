import Foundation
import GRPCCore
import MLOpsProto

/// The timed phases.
struct MonitorWorkload: Sendable {
  let client: MonitorBench.Client
  let dataset: MonitorDataset
  let ingestWindow: Int64
  static let batch = 2000

  func run() async throws -> [String: Any] {
    var results: [String: Any] = ["rows": dataset.rows, "columns": dataset.columns]
    try await create("bench-ingest", window: ingestWindow)
    try await create("bench-ingest-maps", window: ingestWindow)
    try await create("bench-drift", window: Int64(dataset.rows))
    let clock = ContinuousClock()
    var start = clock.now
    let profiled = try await setReference("bench-drift")
    results["reference_seconds"] = Self.seconds(clock.now - start)
    results["reference_rows"] = profiled
    _ = try await setReference("bench-ingest")
    _ = try await setReference("bench-ingest-maps")
    try await ingest(into: &results)
    _ = try await send(self.requests("bench-drift", columnar: true))
    start = clock.now
    _ = try await waitForReports("bench-drift", count: 1)
    results["window_evaluation_seconds"] = Self.seconds(clock.now - start)
    for test in [Mlops_Monitor_V1_DriftTest.ks, .psi] {
      try await Self.computeDrift(client, columns: dataset.columns, test, into: &results)
    }
    return results
  }

  /// ComputeDrift on the million-row window with one test forced on every column.
  static func computeDrift(
    _ client: MonitorBench.Client, columns: Int, _ test: Mlops_Monitor_V1_DriftTest, into results: inout [String: Any]
  ) async throws {
    let clock = ContinuousClock()
    let start = clock.now
    let report = try await client.computeDrift(
      .with {
        $0.monitor = "bench-drift"
        $0.windowID = "bench-drift:1"
        $0.tests = Dictionary(uniqueKeysWithValues: (0..<columns).map { (MonitorDataset.name($0), test) })
      }
    ).report
    let name = test == .ks ? "ks" : "psi"
    results["compute_drift_\(name)_seconds"] = Self.seconds(clock.now - start)
    results["compute_drift_\(name)_columns"] = report.columns.sorted { $0.column < $1.column }.map { c in
      ["column": c.column, "statistic": c.statistic, "p_value": c.hasPValue ? c.pValue : -1] as [String: Any]
    }
  }

  /// Ingest rates: column batches into 50,000-row windows evaluated meanwhile, then one map
  /// per record on a fifth of the rows. Requests are built before the clock starts: the
  /// figure is the server's, not the client's message building (both share two cores).
  func ingest(into results: inout [String: Any]) async throws {
    let clock = ContinuousClock()
    var requests = requests("bench-ingest", columnar: true)
    var start = clock.now
    let accepted = try await send(requests)
    results["ingest_records_per_second"] = Double(accepted) / Self.seconds(clock.now - start)
    let windows = try await waitForReports("bench-ingest", count: Int(Int64(dataset.rows) / ingestWindow))
    results["ingest_windows_evaluated"] = windows
    results["ingest_until_all_windows_evaluated_seconds"] = Self.seconds(clock.now - start)
    requests = self.requests("bench-ingest-maps", columnar: false, limit: dataset.rows / 5)
    start = clock.now
    let mapped = try await send(requests)
    results["ingest_records_per_second_maps"] = Double(mapped) / Self.seconds(clock.now - start)
  }

  func create(_ name: String, window: Int64) async throws {
    _ = try await client.createMonitor(
      .with {
        $0.monitor = .with {
          $0.name = name
          $0.columns = (0..<dataset.columns).map { j in
            .with {
              $0.name = MonitorDataset.name(j)
              $0.kind = .numerical
            }
          }
          $0.window.size = window
        }
      })
  }

  func setReference(_ monitor: String) async throws -> Int64 {
    let dataset = self.dataset
    return try await client.setReference(requestProducer: { writer in
      try await writer.write(.with { $0.header.monitor = monitor })
      for start in stride(from: 0, to: dataset.rows, by: Self.batch) {
        try await writer.write(
          .with {
            $0.rows.rows = (start..<min(start + Self.batch, dataset.rows)).map { i in
              .with { row in
                for j in 0..<dataset.columns { row.values[MonitorDataset.name(j)] = .with { $0.doubleValue = dataset.reference[j][i] } }
              }
            }
          })
      }
    }).rowsProfiled
  }

  /// Sends the requests on one LogPredictionsStream.
  func send(_ requests: [Mlops_Monitor_V1_LogPredictionsRequest]) async throws -> Int64 {
    try await client.logPredictionsStream(requestProducer: { writer in
      for request in requests { try await writer.write(request) }
    }).recordsAccepted
  }

  /// Every current row (or the first `limit`) as a prediction, in batches: column by column,
  /// or one PredictionRecord map per row.
  func requests(_ monitor: String, columnar: Bool, limit: Int? = nil) -> [Mlops_Monitor_V1_LogPredictionsRequest] {
    let dataset = self.dataset
    let rows = min(limit ?? dataset.rows, dataset.rows)
    return stride(from: 0, to: rows, by: Self.batch).map { start in
      let range = start..<min(start + Self.batch, rows)
      return .with {
        $0.monitor = monitor
        if columnar {
          $0.columns = .with { batch in
            batch.requestIds = range.map { "\(monitor)-\($0)" }
            for j in 0..<dataset.columns {
              batch.values[MonitorDataset.name(j)] = .with { $0.numbers.values = Array(dataset.current[j][range]) }
            }
          }
        } else {
          $0.records = range.map { i in
            .with { record in
              record.requestID = "\(monitor)-\(i)"
              for j in 0..<dataset.columns { record.features[MonitorDataset.name(j)] = .with { $0.doubleValue = dataset.current[j][i] } }
            }
          }
        }
      }
    }
  }

  func waitForReports(_ monitor: String, count: Int) async throws -> Int {
    while true {
      let reports = try await client.listDriftReports(
        .with {
          $0.monitor = monitor
          $0.page.pageSize = 1000
        }
      ).reports
      if reports.count >= count { return reports.count }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  static func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
