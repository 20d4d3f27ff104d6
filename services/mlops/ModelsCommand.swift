import ArgumentParser
import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// `mlops models create|show|register|alias|stage|review|download`.
struct ModelsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models", abstract: "Register models from runs, move them through aliases, stages and reviews.",
    subcommands: [Create.self, List.self, Show.self, Register.self, Alias.self, StageCommand.self, Review.self, Download.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a registered model.")
    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "Model name.") var name: String
    @Option(help: "Description.") var description: String = ""

    func run() async throws {
      _ = try await RegistryCall.run(endpoint) { registry in
        try await registry.createRegisteredModel(
          .with {
            $0.name = name
            $0.description_p = description
          }, metadata: actor.metadata)
      }
      print(name)
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Search registered models (name and tags.<key> with = != LIKE ILIKE).")
    @OptionGroup var endpoint: EndpointOptions
    @Option(help: "Filter, e.g. \"name LIKE 'fraud%' AND tags.team = 'risk'\".") var filter: String = ""

    func run() async throws {
      let models = try await RegistryCall.run(endpoint) { registry in
        var all: [Mlops_Registry_V1_RegisteredModel] = []
        var token = ""
        repeat {
          let page = try await registry.searchRegisteredModels(
            .with {
              $0.filter = filter
              $0.maxResults = 1000
              $0.pageToken = token
            })
          all += page.registeredModels
          token = page.nextPageToken
        } while !token.isEmpty
        return all
      }
      print(EndpointTable.pad("MODEL", 28) + EndpointTable.pad("ALIASES", 28) + "LATEST VERSIONS")
      for m in models {
        let aliases = m.aliases.map { "\($0.alias)→\($0.version)" }.joined(separator: " ")
        let latest = m.latestVersions.map { "v\($0.version) \(RegistryCall.stageName($0.stage))" }.joined(separator: ", ")
        print(EndpointTable.pad(m.name, 28) + EndpointTable.pad(aliases, 28) + latest)
      }
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A model's aliases and latest versions, or one version in full.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Version (optional).") var version: Int64?

    func run() async throws {
      if let version {
        let v = try await RegistryCall.run(endpoint) {
          try await $0.getModelVersion(
            .with {
              $0.name = name
              $0.version = version
            }
          ).modelVersion
        }
        Self.print(v)
        return
      }
      let m = try await RegistryCall.run(endpoint) { try await $0.getRegisteredModel(.with { $0.name = name }).registeredModel }
      Swift.print("model:    \(m.name)\(m.description_p.isEmpty ? "" : " — \(m.description_p)")")
      Swift.print("aliases:  " + m.aliases.map { "\($0.alias) → \($0.version)" }.joined(separator: ", "))
      for v in m.latestVersions {
        Swift.print("  version \(v.version)  \(RegistryCall.stageName(v.stage))  \(RegistryCall.statusName(v.status))  run \(v.runID)")
      }
    }

    static func print(_ v: Mlops_Registry_V1_ModelVersion) {
      Swift.print(
        "version:  \(v.name) \(v.version) (\(v.format)), \(RegistryCall.stageName(v.stage)), \(RegistryCall.statusName(v.status))")
      if !v.statusMessage.isEmpty { Swift.print("reason:   \(v.statusMessage)") }
      Swift.print("run:      \(v.runID), registered by \(v.createdBy)")
      Swift.print("artifact: sha256:\(v.contentDigest) \(v.sizeBytes) bytes")
      Swift.print("aliases:  \(v.aliases.joined(separator: ", "))")
      Swift.print("inputs:   " + v.signature.inputs.map { "\($0.name) \($0.type) \($0.shape)" }.joined(separator: ", "))
      Swift.print("outputs:  " + v.signature.outputs.map { "\($0.name) \($0.type)" }.joined(separator: ", "))
      Swift.print(
        "metrics:  "
          + v.runMetrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(RunsCommand.List.number($0.value))" }.joined(separator: " "))
      Swift.print(
        "reviews:  "
          + v.reviews.map { "\($0.reviewer) \($0.decision == .approve ? "approved" : "rejected"): \($0.comment)" }.joined(separator: "; "))
    }
  }

  struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Register a new version from a run and upload its ONNX file; prints the version.")
    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "Model name (created if missing).") var name: String
    @Option(help: "Tracker run that produced the model.") var run: String
    @Option(help: "The model file (ONNX).") var file: String
    @Option(help: "Signature JSON: {\"inputs\": [{\"name\", \"type\", \"shape\"}], \"outputs\": [...]}.") var signature: String?
    @Option(help: "Description.") var description: String = ""

    func run() async throws {
      let signature = try self.signature.map(RegistryCall.signature(file:)) ?? .init()
      let (digest, size) = try SHA256Stream.file(atPath: file)
      let version = try await RegistryCall.run(endpoint) { registry in
        do {
          _ = try await registry.getRegisteredModel(.with { $0.name = name })
        } catch let error as RPCError where error.code == .notFound {
          _ = try await registry.createRegisteredModel(.with { $0.name = name }, metadata: actor.metadata)
        }
        let created = try await registry.createModelVersion(
          .with {
            $0.name = name
            $0.runID = run
            $0.format = "onnx"
            $0.signature = signature
            $0.description_p = description
          },
          metadata: actor.metadata
        ).modelVersion
        return try await RegistryCall.upload(
          registry, name: name, version: created.version, sha256: digest, size: size, metadata: actor.metadata
        ) { writer in
          guard let handle = FileHandle(forReadingAtPath: file) else { throw StartupError("cannot read \(file)") }
          defer { try? handle.close() }
          while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { try await writer.write(.with { $0.chunk = piece }) }
        }
      }
      print("\(version.name) version \(version.version) \(RegistryCall.statusName(version.status)) sha256:\(version.contentDigest)")
    }
  }

  struct Alias: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Point an alias (champion, challenger…) at a version, or --delete it.")
    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Alias.") var alias: String
    @Argument(help: "Version.") var version: Int64?
    @Flag(help: "Delete the alias instead.") var delete = false

    func run() async throws {
      guard delete || version != nil else { throw ValidationError("give a version, or --delete") }
      try await RegistryCall.run(endpoint) { registry in
        if delete {
          _ = try await registry.deleteAlias(
            .with {
              $0.name = name
              $0.alias = alias
            }, metadata: actor.metadata)
        } else {
          _ = try await registry.setAlias(
            .with {
              $0.name = name
              $0.alias = alias
              $0.version = version!
            }, metadata: actor.metadata)
        }
      }
      print(delete ? "\(name)@\(alias) deleted" : "\(name)@\(alias) → \(version!)")
    }
  }
}
