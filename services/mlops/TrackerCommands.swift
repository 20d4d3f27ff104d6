import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Calls the tracker through the gateway (one address for everything), turning a failed call
/// into one line and exit status 1.
enum TrackerCall {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  static func run<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  /// An experiment id, or the id of the experiment with that name.
  static func experimentID(_ idOrName: String, _ tracker: Client) async throws -> String {
    if Int64(idOrName) != nil { return idOrName }
    return try await tracker.getExperimentByName(.with { $0.name = idOrName }).experiment.experimentID
  }

  static func time(_ t: Google_Protobuf_Timestamp) -> String {
    t.seconds == 0 && t.nanos == 0 ? "-" : ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(t.seconds)))
  }
}

/// `mlops experiments create|list|delete`.
struct ExperimentsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "experiments", abstract: "Create, list and delete experiments.",
    subcommands: [Create.self, List.self, Delete.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an experiment and print its id.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Experiment name.") var name: String
    @Option(help: "Description.") var description: String = ""

    func run() async throws {
      let id = try await TrackerCall.run(endpoint) { tracker in
        try await tracker.createExperiment(
          .with {
            $0.name = name
            $0.description_p = description
          }
        ).experiment.experimentID
      }
      print(id)
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List experiments (newest first).")
    @OptionGroup var endpoint: EndpointOptions
    @Option(help: "Filter, e.g. \"name LIKE 'churn%'\".") var filter: String = ""
    @Flag(help: "Include deleted experiments.") var all = false

    func run() async throws {
      let experiments = try await TrackerCall.run(endpoint) { tracker in
        try await tracker.searchExperiments(
          .with {
            $0.filter = filter
            $0.viewType = all ? .all : .activeOnly
          }
        ).experiments
      }
      print(EndpointTable.pad("ID", 8) + EndpointTable.pad("NAME", 32) + EndpointTable.pad("STAGE", 10) + "CREATED")
      for e in experiments {
        print(
          EndpointTable.pad(e.experimentID, 8) + EndpointTable.pad(e.name, 32)
            + EndpointTable.pad(e.lifecycleStage == .deleted ? "deleted" : "active", 10) + TrackerCall.time(e.creationTime))
      }
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Soft-delete an experiment and its runs.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Experiment id or name.") var experiment: String

    func run() async throws {
      try await TrackerCall.run(endpoint) { tracker in
        let id = try await TrackerCall.experimentID(experiment, tracker)
        _ = try await tracker.deleteExperiment(.with { $0.experimentID = id })
      }
    }
  }
}
