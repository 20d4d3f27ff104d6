import ArgumentParser
import Foundation
import MLOpsProto
import SwiftProtobuf

extension FeaturesCommand {
  struct Materialize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy offline rows to the online store: from each view's watermark to --end (default now), or over --start..--end.")
    @Option(help: "Views, comma-separated (default: every online view).") var views = ""
    @Option(help: "Start time (ISO 8601 or epoch seconds); without it, each view's watermark.") var start: String?
    @Option(help: "End time (ISO 8601 or epoch seconds); default now.") var end: String?
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let names = views.split(separator: ",").map(String.init)
      let endTime = try end.map { try FeatureValueText.timestamp($0, option: "--end") } ?? Google_Protobuf_Timestamp(date: Date())
      let response = try await FeaturesCommand.call(endpoint) { client in
        if let start {
          let startTime = try FeatureValueText.timestamp(start, option: "--start")
          return try await client.materialize(
            .with {
              $0.featureViews = names
              $0.startTime = startTime
              $0.endTime = endTime
            })
        }
        return try await client.materializeIncremental(
          .with {
            $0.featureViews = names
            $0.endTime = endTime
          })
      }
      for result in response.results {
        print(
          "\(result.featureView): \(FeaturesCommand.count(result.rowsWritten, "row")) written, watermark \(FeatureValueText.time(result.watermark))"
        )
      }
    }
  }

  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay online values through the point-in-time join; list every mismatch.")
    @Option(help: "Views, comma-separated (default: every online view).") var views = ""
    @Option(help: "Online values to replay per view (0: all).") var sample: Int64 = 0
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let response = try await FeaturesCommand.call(endpoint) { client in
        try await client.checkConsistency(
          .with {
            $0.featureViews = views.split(separator: ",").map(String.init)
            $0.sampleSize = sample
          })
      }
      print("\(response.valuesChecked) values checked, \(response.mismatches.count) mismatches")
      for m in response.mismatches {
        let key = m.entityKey.sorted { $0.key < $1.key }.map { "\($0.key)=\(FeatureValueText.describe($0.value, status: .present))" }
        print(
          "  \(m.featureView) \(key.joined(separator: ",")) \(m.feature): online \(FeatureValueText.describe(m.online.value, status: m.online.status))"
            + " offline \(FeatureValueText.describe(m.offline.value, status: m.offline.status))")
      }
      if !response.mismatches.isEmpty { throw ExitCode(1) }
    }
  }
}
