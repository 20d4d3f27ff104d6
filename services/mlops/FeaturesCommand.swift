import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops features`: definitions, pushes, online reads, materialization and consistency
/// checks against the feature server, through the gateway.
struct FeaturesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "features", abstract: "Define, push, read and materialize features.",
    subcommands: [Apply.self, List.self, Push.self, Get.self, Materialize.self, Check.self])

  typealias Client = Mlops_Features_V1_FeatureStoreService.Client<HTTP2ClientTransport.Posix>

  /// "1 row", "2 rows": counts printed as a reader says them.
  static func count(_ n: some BinaryInteger, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
  }

  static func call<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Apply entities, feature views and feature services from a JSON file.",
      // Lines under 80 columns: the help is wrapped at the terminal's width, which broke the
      // example mid-object.
      discussion: """
        For example:
        {"entities": [
           {"name": "driver", "join_key": "driver_id", "value_type": "int64"}],
         "feature_views": [
           {"name": "driver_stats", "entities": ["driver"], "ttl_seconds": 86400,
            "features": [{"name": "conv_rate", "type": "double"}]}],
         "feature_services": [
           {"name": "eta", "features": ["driver_stats:conv_rate"]}]}
        """)
    @Argument(help: "The definitions file.") var file: String
    @Flag(help: "Apply incompatible changes (a feature's type, the view's entities).") var force = false
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let definitions = try FeatureDefinitionsFile(contentsOf: file)
      try await FeaturesCommand.call(endpoint) { client in
        for entity in definitions.entities {
          let applied = try await client.applyEntity(.with { $0.entity = entity }).entity
          print("entity \(applied.name) (join key \(applied.joinKey))")
        }
        for view in definitions.views {
          let applied = try await client.applyFeatureView(
            .with {
              $0.featureView = view
              $0.force = force
            })
          print("feature view \(applied.featureView.name) v\(applied.featureView.version)\(applied.changed ? "" : " (unchanged)")")
        }
        for service in definitions.services {
          let applied = try await client.applyFeatureService(.with { $0.featureService = service }).featureService
          print("feature service \(applied.name) (\(applied.features.count) features)")
        }
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List feature views.")
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let views = try await FeaturesCommand.call(endpoint) { try await $0.listFeatureViews(.with { $0.page.pageSize = 1000 }).featureViews }
      print(
        EndpointTable.pad("NAME", 24) + EndpointTable.pad("ENTITIES", 20) + EndpointTable.pad("FEATURES", 10) + EndpointTable.pad("TTL", 10)
          + EndpointTable.pad("STORES", 16) + "VERSION")
      for v in views {
        let stores = [v.online ? "online" : nil, v.offline ? "offline" : nil].compactMap { $0 }.joined(separator: "+")
        print(
          EndpointTable.pad(v.name, 24) + EndpointTable.pad(v.entities.joined(separator: ","), 20)
            + EndpointTable.pad("\(v.features.count)", 10)
            + EndpointTable.pad(v.ttl.seconds > 0 ? "\(v.ttl.seconds)s" : "-", 10) + EndpointTable.pad(stores, 16) + "\(v.version)")
      }
    }
  }

  struct Get: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Read online features for entities.")
    @Argument(help: "view:feature references, comma-separated.") var features: String
    @Option(help: "An entity row as key=value[,key=value] (repeatable).") var entity: [String]
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let references = features.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
      let response = try await FeaturesCommand.call(endpoint) { client in
        let keyTypes = try await FeaturesCommand.joinKeyTypes(
          client, views: references.map { String($0.split(separator: ":").first ?? "") })
        let rows = try entity.map { try FeatureValueText.entityRow($0, types: keyTypes) }
        return try await client.getOnlineFeatures(
          .with {
            $0.features = references
            $0.entityRows = rows
          })
      }
      for (row, result) in zip(entity, response.results) {
        print(row)
        for (name, value) in zip(response.featureNames, result.values) {
          print(
            "  " + EndpointTable.pad(name, 32) + EndpointTable.pad(FeatureValueText.describe(value.value, status: value.status), 24)
              + (value.hasEventTime ? FeatureValueText.time(value.eventTime) : ""))
        }
      }
    }
  }

  /// Join key name → type, for every view named.
  static func joinKeyTypes(_ client: Client, views: [String]) async throws -> [String: Mlops_Common_V1_ValueType] {
    var types: [String: Mlops_Common_V1_ValueType] = [:]
    for view in Set(views) where !view.isEmpty {
      for key in try await client.getFeatureView(.with { $0.name = view }).featureView.joinKeys { types[key.name] = key.type }
    }
    return types
  }
}
