import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops runs create|log|end`: a run from a shell pipeline, e.g.
/// `run=$(mlops runs create --experiment churn --name nightly)`, then
/// `mlops runs log "$run" --param lr=0.1 --metric loss=0.3@5`, then `mlops runs end "$run"`.
extension RunsCommand {
  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a run; prints its id.")
    @OptionGroup var endpoint: EndpointOptions
    @Option(help: "Experiment id or name.") var experiment: String
    @Option(help: "Run name (default: one made from the id).") var name: String = ""
    @Option(name: .customLong("tag"), help: "key=value (repeatable).") var tags: [String] = []

    func run() async throws {
      let tags = try RunsCommand.tags(self.tags)
      let (experiment, name) = (experiment, name)
      let run = try await TrackerCall.run(endpoint) { tracker in
        let id = try await TrackerCall.experimentID(experiment, tracker)
        return try await tracker.createRun(
          .with {
            $0.experimentID = id
            $0.runName = name
            $0.tags = tags
          }
        ).run
      }
      print(run.info.runID)
    }
  }

  struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log params, metrics and tags to a run in one batch.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Option(name: .customLong("param"), help: "key=value (repeatable).") var params: [String] = []
    @Option(name: .customLong("metric"), help: "key=value or key=value@step (repeatable).") var metrics: [String] = []
    @Option(name: .customLong("tag"), help: "key=value (repeatable).") var tags: [String] = []

    func run() async throws {
      let params = try RunsCommand.pairs(params, option: "--param")
      let tags = try RunsCommand.tags(self.tags)
      let now = Google_Protobuf_Timestamp(date: Date())
      let metrics = try RunsCommand.pairs(metrics, option: "--metric").map { key, text in
        let parts = text.split(separator: "@", maxSplits: 1)
        guard let value = Double(parts[0]), let step = parts.count == 1 ? 0 : Int64(parts[1]) else {
          throw ValidationError("--metric \(key)=\(text): expected a number, optionally @step (loss=0.3@5)")
        }
        return Mlops_Tracker_V1_Metric.with {
          $0.key = key
          $0.value = value
          $0.step = step
          $0.timestamp = now
        }
      }
      guard !(params.isEmpty && metrics.isEmpty && tags.isEmpty) else {
        throw ValidationError("give at least one --param, --metric or --tag")
      }
      let run = self.run
      _ = try await TrackerCall.run(endpoint) { tracker in
        try await tracker.logBatch(
          .with {
            $0.runID = run
            $0.params = params.map { param in
              .with {
                $0.key = param.0
                $0.value = param.1
              }
            }
            $0.metrics = metrics
            $0.tags = tags
          })
      }
      print("logged \(params.count) params, \(metrics.count) metrics, \(tags.count) tags to \(run)")
    }
  }

  struct End: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "End a run now, FINISHED unless --status says otherwise.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Option(help: "FINISHED, FAILED or KILLED.") var status: String = "FINISHED"

    func run() async throws {
      let statuses: [String: Mlops_Tracker_V1_RunStatus] = ["FINISHED": .finished, "FAILED": .failed, "KILLED": .killed]
      guard let status = statuses[status.uppercased()] else { throw ValidationError("--status is FINISHED, FAILED or KILLED") }
      let run = self.run
      let info = try await TrackerCall.run(endpoint) { tracker in
        try await tracker.updateRun(
          .with {
            $0.runID = run
            $0.status = status
            $0.endTime = Google_Protobuf_Timestamp(date: Date())
          }
        ).runInfo
      }
      print("\(info.runID) \(RunStatusName.of(info.status))")
    }
  }

  /// `--tag key=value` arguments as tags, the last value of a key winning (as the tracker
  /// keeps a tag).
  static func tags(_ arguments: [String]) throws -> [Mlops_Common_V1_Tag] {
    Mlops_Common_V1_Tag.inKeyOrder(Dictionary(try pairs(arguments, option: "--tag"), uniquingKeysWith: { _, last in last }))
  }

  /// `key=value` arguments of `option`, in order.
  static func pairs(_ arguments: [String], option: String) throws -> [(String, String)] {
    try arguments.map { argument in
      guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
        throw ValidationError("\(option) \(argument): expected key=value")
      }
      return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
  }
}
