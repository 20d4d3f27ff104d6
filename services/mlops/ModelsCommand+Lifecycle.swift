import ArgumentParser
import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

extension ModelsCommand {
  struct StageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stage", abstract: "Move a version to None, Staging, Production or Archived.")
    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Version.") var version: Int64
    @Argument(help: "None, Staging, Production or Archived.") var stage: String
    @Flag(name: .customLong("archive-existing"), help: "Archive the versions already in that stage.") var archiveExisting = false

    func run() async throws {
      let stages: [String: Mlops_Registry_V1_Stage] = [
        "none": .none, "staging": .staging, "production": .production, "archived": .archived,
      ]
      guard let target = stages[stage.lowercased()] else { throw ValidationError("stage must be None, Staging, Production or Archived") }
      let v = try await RegistryCall.run(endpoint) { registry in
        try await registry.transitionStage(
          .with {
            $0.name = name
            $0.version = version
            $0.stage = target
            $0.archiveExistingVersions = archiveExisting
          },
          metadata: actor.metadata
        ).modelVersion
      }
      print("\(v.name) version \(v.version) → \(RegistryCall.stageName(v.stage))")
    }
  }

  struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Approve or reject a version, as the identity --as names.")
    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var actor: ActorOption
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Version.") var version: Int64
    @Flag(help: "Approve.") var approve = false
    @Flag(help: "Reject.") var reject = false
    @Option(name: .shortAndLong, help: "Comment.") var message: String = ""

    func run() async throws {
      guard approve != reject else { throw ValidationError("give exactly one of --approve or --reject") }
      let v = try await RegistryCall.run(endpoint) { registry in
        try await registry.reviewModelVersion(
          .with {
            $0.name = name
            $0.version = version
            $0.decision = approve ? .approve : .reject
            $0.comment = message
          },
          metadata: actor.metadata
        ).modelVersion
      }
      let state = v.reviewState == .approved ? "APPROVED" : v.reviewState == .rejected ? "REJECTED" : "PENDING"
      print("\(v.name) version \(v.version): \(state)")
    }
  }

  struct Download: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Download a version's artifact, checking its digest.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Version.") var version: Int64
    @Option(help: "Output file (default: NAME-VERSION.onnx).") var output: String?

    func run() async throws {
      let file = try VerifiedDownload(target: output ?? "\(name)-\(version).onnx")
      let header = try await RegistryCall.run(endpoint) { registry in
        try await registry.downloadModelArtifact(
          request: .init(
            message: .with {
              $0.name = name
              $0.version = version
            })
        ) { response in
          var header = Mlops_Registry_V1_ModelArtifactHeader()
          for try await message in response.messages {
            switch message.part {
            case .header(let h): header = h
            case .chunk(let bytes): try file.write(bytes)
            case nil: break
            }
          }
          return header
        }
      }
      print(try file.finish(expectedSHA256: header.expectedSha256, expectedSize: header.sizeBytes))
    }
  }
}

/// `mlops audit`: the registry's audit trail, oldest first.
struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "audit", abstract: "Who changed what in the model registry.")
  @OptionGroup var endpoint: EndpointOptions
  @Option(help: "Only this model.") var model: String = ""
  @Option(help: "Only this version.") var version: Int64 = 0
  @Option(help: "Only this actor.") var actor: String = ""

  func run() async throws {
    let events = try await RegistryCall.run(endpoint) { registry in
      var all: [Mlops_Registry_V1_AuditEvent] = []
      var token = ""
      repeat {
        let page = try await registry.listAuditEvents(
          .with {
            $0.modelName = model
            $0.version = version
            $0.actor = actor
            $0.page.pageSize = 1000
            $0.page.pageToken = token
          })
        all += page.events
        token = page.nextPageToken
      } while !token.isEmpty
      return all
    }
    for e in events {
      let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(e.time.seconds)))
      let target = e.version > 0 ? "\(e.modelName) v\(e.version)" : e.modelName
      print(
        "\(e.sequence)  \(time)  \(EndpointTable.pad(e.actor, 12))\(EndpointTable.pad(e.action, 24))\(EndpointTable.pad(target, 20))\(e.before.isEmpty ? "" : e.before + " → ")\(e.after)"
      )
    }
  }
}
