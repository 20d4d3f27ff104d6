import ArgumentParser
import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// `mlops runs list|show|tail|create|log|end`.
struct RunsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs", abstract: "Search runs, show one, follow its metrics; create, log to and end a run.",
    subcommands: [List.self, Show.self, Tail.self, Create.self, Log.self, End.self])

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Search an experiment's runs with MLflow's filter language.")
    @OptionGroup var endpoint: EndpointOptions
    @Option(help: "Experiment id or name.") var experiment: String
    @Option(help: "Filter, e.g. \"metrics.auc > 0.8 AND params.model = 'xgb'\".") var filter: String = ""
    @Option(name: .customLong("order-by"), help: "Sort key, e.g. \"metrics.auc DESC\" (repeatable).") var orderBy: [String] = []
    @Option(name: .customLong("max-results"), help: "Most runs to print.") var maxResults: Int32 = 100

    func run() async throws {
      let runs = try await TrackerCall.run(endpoint) { tracker in
        let id = try await TrackerCall.experimentID(experiment, tracker)
        return try await tracker.searchRuns(
          .with {
            $0.experimentIds = [id]
            $0.filter = filter
            $0.orderBy = orderBy
            $0.maxResults = maxResults
          }
        ).runs
      }
      print(EndpointTable.pad("RUN", 34) + EndpointTable.pad("NAME", 20) + EndpointTable.pad("STATUS", 10) + "METRICS")
      for run in runs {
        let metrics = run.data.metrics.map { "\($0.key)=\(Self.number($0.value))" }.joined(separator: " ")
        print(
          EndpointTable.pad(run.info.runID, 34) + EndpointTable.pad(run.info.runName, 20)
            + EndpointTable.pad(RunStatusName.of(run.info.status), 10) + metrics)
      }
    }

    static func number(_ value: Double) -> String { String(format: "%.6g", value) }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Params, latest metrics, tags, source, environment and inputs of a run.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String

    func run() async throws {
      let r = try await TrackerCall.run(endpoint) { tracker in try await tracker.getRun(.with { $0.runID = run }).run }
      print("run:         \(r.info.runID) (\(r.info.runName)), experiment \(r.info.experimentID)")
      print("status:      \(RunStatusName.of(r.info.status))\(r.info.lifecycleStage == .deleted ? " (deleted)" : ""), \(Self.span(r.info))")
      print("artifacts:   \(r.info.artifactUri)")
      // Only what was recorded: empty lines read as a display fault.
      let source = [r.source.repository, r.source.commit, r.source.entryPoint].filter { !$0.isEmpty }
      if !source.isEmpty { print("source:      \(source.joined(separator: " "))") }
      let environment = [r.environment.runtime, r.environment.packagesDigest, r.environment.platform].filter { !$0.isEmpty }
      if !environment.isEmpty { print("environment: \(environment.joined(separator: " "))") }
      print("params:")
      r.data.params.forEach { print("  \($0.key) = \($0.value)") }
      print("metrics:")
      r.data.metrics.forEach { print("  \($0.key) = \(List.number($0.value)) (step \($0.step))") }
      print("tags:")
      r.data.tags.forEach { print("  \($0.key) = \($0.value)") }
      print("inputs:")
      r.inputs.forEach { print("  \($0.dataset.name) \($0.dataset.digest) [\($0.context)] \($0.dataset.source)") }
    }

    /// When it ran: a running run has no end; one that ended without an end time says so.
    static func span(_ info: Mlops_Tracker_V1_RunInfo) -> String {
      let started = "started \(TrackerCall.time(info.startTime))"
      if info.status == .running || info.status == .scheduled { return started }
      return started + (info.hasEndTime ? ", ended \(TrackerCall.time(info.endTime))" : ", end time not recorded")
    }
  }

  struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a run's metrics as they are logged; ends when the run ends.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Run id.") var run: String
    @Option(help: "Only this metric (repeatable).") var key: [String] = []

    func run() async throws {
      try await TrackerCall.run(endpoint) { tracker in
        try await tracker.watchRunMetrics(
          .with {
            $0.runID = run
            $0.metricKeys = key
          }
        ) { response in
          for try await point in response.messages {
            print("step \(point.metric.step)  \(point.metric.key) = \(List.number(point.metric.value))")
            fflush(nil)
          }
        }
      }
    }
  }
}

/// MLflow's status names for the CLI's tables.
enum RunStatusName {
  static func of(_ status: Mlops_Tracker_V1_RunStatus) -> String {
    switch status {
    case .running: "RUNNING"
    case .scheduled: "SCHEDULED"
    case .finished: "FINISHED"
    case .failed: "FAILED"
    case .killed: "KILLED"
    default: "UNKNOWN"
    }
  }
}
