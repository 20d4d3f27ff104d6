import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto
import MLOpsStatistics

/// Issue #7's monitor workload from a Swift gRPC client: profiles a reference, streams
/// predictions (ingest rate with windows closing and evaluated meanwhile), then times the
/// background evaluation of one large window and ComputeDrift with KS and PSI forced. Writes
/// the generated columns to `--data` (raw little-endian doubles, column-major) so
/// `scripts/bench_monitor.py` runs scipy, numpy and Evidently on the same numbers. Prints one
/// JSON object. Used by `scripts/bench-monitor.sh`.
@main
struct MonitorBench: AsyncParsableCommand {
  typealias Client = Mlops_Monitor_V1_MonitorService.Client<HTTP2ClientTransport.Posix>

  @Option(help: "host:port of the monitor.") var address: String = "127.0.0.1:7005"
  @Option(help: "Rows in the reference and in the current window.") var rows: Int = 1_000_000
  @Option(help: "Numeric columns.") var columns: Int = 20
  @Option(name: .customLong("ingest-window"), help: "Window size while measuring ingestion.") var ingestWindow: Int64 = 50_000
  @Option(help: "Directory for reference.f64 and current.f64.") var data: String
  @Flag(name: .customLong("drift-only"), help: "Only time ComputeDrift on the window an earlier run left (KS, then PSI).")
  var driftOnly = false

  func run() async throws {
    let parts = address.split(separator: ":")
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: String(parts[0]), port: Int(parts[1]) ?? 7005), transportSecurity: .plaintext)
    let (rows, columns, ingestWindow, driftOnly) = (self.rows, self.columns, self.ingestWindow, self.driftOnly)
    let dataset: MonitorDataset? = driftOnly ? nil : MonitorDataset(rows: rows, columns: columns)
    try dataset?.write(to: data)
    let json = try await withGRPCClient(transport: transport) { raw in
      var results: [String: Any] = [:]
      if let dataset {
        results = try await MonitorWorkload(client: Client(wrapping: raw), dataset: dataset, ingestWindow: ingestWindow).run()
      } else {
        for test in [Mlops_Monitor_V1_DriftTest.ks, .psi] {
          try await MonitorWorkload.computeDrift(Client(wrapping: raw), columns: columns, test, into: &results)
        }
      }
      return try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
    }
    print(String(decoding: json, as: UTF8.self))
  }
}

/// Seeded data: column j of the reference is N(j, (j+1)²); the current rows are the same for
/// the first half of the columns and shifted by 0.01·σ for the rest (a drift KS sees at this
/// size, small enough that p-values stay away from 0).
struct MonitorDataset: Sendable {
  let rows: Int
  let columns: Int
  let reference: [[Double]]
  let current: [[Double]]

  init(rows: Int, columns: Int) {
    (self.rows, self.columns) = (rows, columns)
    var generator = SeededRandom(seed: 20_261_127)
    reference = (0..<columns).map { j in (0..<rows).map { _ in Double(j) + Double(j + 1) * generator.normal() } }
    current = (0..<columns).map { j in
      let shift = j < columns / 2 ? 0 : 0.01 * Double(j + 1)
      return (0..<rows).map { _ in Double(j) + shift + Double(j + 1) * generator.normal() }
    }
  }

  func write(to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, table) in [("reference", reference), ("current", current)] {
      var bytes = Data(capacity: rows * columns * 8)
      for column in table { column.withUnsafeBufferPointer { bytes.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) } }
      try bytes.write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(name).f64"))
    }
  }

  static func name(_ j: Int) -> String { "c\(j)" }
}
