import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto
import SwiftProtobuf

/// Issue #6's workload from a Swift gRPC client: 100k entities × 10 double features pushed by
/// PushStream (rows/s), materialized (time), joined point-in-time for 10k and 1M entity rows;
/// and gRPC-framed GetOnlineFeatures bodies written to `--bodies` for h2load, which measures
/// online reads with next to no client cost. The data is a formula (``BenchData``) that
/// `scripts/bench_features.py` reproduces for Feast. Prints one JSON object.
@main
struct FeatureBench: AsyncParsableCommand {
  typealias Client = Mlops_Features_V1_FeatureStoreService.Client<HTTP2ClientTransport.Posix>

  @Option(help: "host:port of the feature server.") var address: String = "127.0.0.1:7003"
  @Option(help: "Entities (one row each).") var entities: Int = 100_000
  @Option(name: .customLong("join-rows"), help: "Entity row counts of the point-in-time joins, comma-separated.") var joinRows =
    "10000,1000000"
  @Option(help: "Directory for the h2load request bodies.") var bodies: String

  func run() async throws {
    let parts = address.split(separator: ":")
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: String(parts[0]), port: Int(parts[1]) ?? 7003), transportSecurity: .plaintext,
      config: .defaults { $0.http2.targetWindowSize = 16 * 1024 * 1024 })
    let data = BenchData(entities: entities)
    try data.writeBodies(to: bodies)
    let sizes = joinRows.split(separator: ",").compactMap { Int($0) }
    let json = try await withGRPCClient(transport: transport) { raw in
      let results = try await FeatureWorkload(client: Client(wrapping: raw), data: data).run(joinSizes: sizes)
      return try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
    }
    print(String(decoding: json, as: UTF8.self))
  }
}
