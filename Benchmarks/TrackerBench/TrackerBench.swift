import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto

/// Issue #4's tracker workload from a Swift gRPC client, so the figures measure the server
/// rather than a Python client's ~1 ms per call. Prints one JSON object (the same keys as
/// `scripts/bench_tracker.py`). Used by `scripts/bench-tracker.sh`.
@main
struct TrackerBench: AsyncParsableCommand {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  @Option(help: "host:port of the tracker.") var address: String = "127.0.0.1:7001"
  @Option(name: .customLong("search-runs"), help: "Runs seeded for the search figures.") var searchRuns: Int = 10_000
  @Option(help: "Concurrent clients for the concurrent-ingest and seeding phases.") var concurrency: Int = 8

  func run() async throws {
    let parts = address.split(separator: ":")
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: String(parts[0]), port: Int(parts[1]) ?? 7001), transportSecurity: .plaintext)
    let results = try await withGRPCClient(transport: transport) { raw in
      try await TrackerWorkload(tracker: Client(wrapping: raw), concurrency: concurrency).run(searchRuns: searchRuns)
    }
    let data = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }
}
