import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops deploy`: deployments on the inference router, through the gateway.
struct DeployCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deploy", abstract: "Create, change, inspect and remove deployments of registered models.",
    subcommands: [
      Create.self, Update.self, Show.self, List.self, Delete.self, Status.self, Promote.self, Rollback.self, Pause.self, Resume.self,
      Watch.self,
    ])

  typealias Client = Mlops_Serving_V1_InferenceRouterService.Client<HTTP2ClientTransport.Posix>

  static func run<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  /// The variants and strategy of a create or update.
  struct Definition: ParsableArguments {
    @Option(
      name: .customLong("variant"),
      help: "NAME=MODEL@VERSION or NAME=MODEL@ALIAS, optionally :WEIGHT (percent); repeat for an A/B split.")
    var variants: [String] = []
    @Option(help: "single or ab (default: single for one variant, ab for several).") var strategy: String?
    @Option(help: "A description of the deployment.") var description: String = ""
    @Option(
      help: ArgumentHelp(
        "A JSON file holding a whole mlops.serving.v1.Deployment (canary policy, shadows, enrichment, cache…) in protobuf's JSON mapping.",
        discussion: "Flags given with it override its fields; the name argument always wins."))
    var file: String?
    @Option(help: "Keep up to this many answers in the deployment's response cache (with --cache-ttl).") var cacheEntries: Int64?
    @Option(help: "Seconds a cached answer may be reused.") var cacheTtl: Double?
    @Option(help: "A request field (input column or entity key) whose value keeps a caller on one variant.") var stickyKey: String?

    func deployment(_ name: String) throws -> Mlops_Serving_V1_Deployment {
      var deployment = try file.map(Self.read) ?? Mlops_Serving_V1_Deployment()
      deployment.name = name
      if !variants.isEmpty || file == nil { try apply(to: &deployment) }
      if !description.isEmpty { deployment.description_p = description }
      if let stickyKey { deployment.routing.stickyKey = stickyKey }
      if cacheEntries != nil || cacheTtl != nil {
        guard let cacheEntries, let cacheTtl, cacheTtl.isFinite, cacheTtl > 0, cacheTtl < 1e9 else {
          throw ValidationError("--cache-entries and --cache-ttl go together; the TTL is a positive number of seconds")
        }
        deployment.cache = .with {
          $0.maxEntries = cacheEntries
          $0.ttl = .with {
            $0.seconds = Int64(cacheTtl)
            $0.nanos = Int32((cacheTtl - cacheTtl.rounded(.down)) * 1e9)
          }
        }
      }
      return deployment
    }

    /// A deployment from a JSON file, field names as protobuf spells them in JSON.
    static func read(_ path: String) throws -> Mlops_Serving_V1_Deployment {
      guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--file: cannot read \(path)") }
      do {
        return try Mlops_Serving_V1_Deployment(jsonUTF8Data: data)
      } catch {
        throw ValidationError("--file \(path) is not a Deployment in protobuf JSON: \(error)")
      }
    }

    /// The variants and strategy flags, over what the file gave.
    func apply(to deployment: inout Mlops_Serving_V1_Deployment) throws {
      guard !variants.isEmpty else { throw ValidationError("name at least one --variant NAME=MODEL@VERSION (or give --file)") }
      let parsed = try variants.map(Self.variant)
      let strategy: Mlops_Serving_V1_Strategy
      switch self.strategy?.lowercased() {
      case nil: strategy = parsed.count == 1 ? .single : .ab
      case "single": strategy = .single
      case "ab", "a/b": strategy = .ab
      case let other?: throw ValidationError("--strategy '\(other)' is not single or ab")
      }
      deployment.strategy = strategy
      deployment.variants = parsed
    }

    /// `main=churn@3`, `b=churn@challenger:30`.
    static func variant(_ text: String) throws -> Mlops_Serving_V1_Variant {
      guard let equals = text.firstIndex(of: "="), let at = text.lastIndex(of: "@"), equals < at else {
        throw ValidationError("--variant '\(text)' is not NAME=MODEL@VERSION[:WEIGHT] or NAME=MODEL@ALIAS[:WEIGHT]")
      }
      var selector = String(text[text.index(after: at)...])
      var weight = 0.0
      if let colon = selector.lastIndex(of: ":") {
        guard let parsed = Double(selector[selector.index(after: colon)...]) else {
          throw ValidationError("--variant '\(text)': the weight after ':' is not a number")
        }
        weight = parsed
        selector = String(selector[..<colon])
      }
      return .with {
        $0.name = String(text[..<equals])
        $0.model.modelName = String(text[text.index(after: equals)..<at])
        if let version = Int64(selector) { $0.model.version = version } else { $0.model.alias = selector }
        $0.role = .primary
        $0.weight = weight
      }
    }
  }

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Deploy registered versions under a name.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String
    @OptionGroup var definition: Definition

    func run() async throws {
      let deployment = try definition.deployment(name)
      let created = try await DeployCommand.run(endpoint) { try await $0.createDeployment(.with { $0.deployment = deployment }).deployment }
      print(DeploymentText.describe(created))
    }
  }

  struct Update: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replace a deployment's variants; the new models load before they serve.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String
    @OptionGroup var definition: Definition
    @Option(help: "Refuse unless the deployment is at this generation.") var generation: Int64 = 0

    func run() async throws {
      let deployment = try definition.deployment(name)
      let updated = try await DeployCommand.run(endpoint) {
        try await $0.updateDeployment(
          .with {
            $0.deployment = deployment
            $0.expectedGeneration = generation
          }
        ).deployment
      }
      print(DeploymentText.describe(updated))
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A deployment's variants, versions and generation.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String
    @Flag(help: "Print the deployment as protobuf JSON, the form `deploy create --file` reads.") var json = false

    func run() async throws {
      let found = try await DeployCommand.run(endpoint) { try await $0.getDeployment(.with { $0.name = name }).deployment }
      print(json ? try found.jsonString() : DeploymentText.describe(found))
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every deployment, one per line.")
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let all = try await DeployCommand.run(endpoint) { router in
        var all: [Mlops_Serving_V1_Deployment] = []
        var token = ""
        repeat {
          let page = try await router.listDeployments(
            .with {
              $0.page.pageSize = 1000
              $0.page.pageToken = token
            })
          all += page.deployments
          token = page.nextPageToken
        } while !token.isEmpty
        return all
      }
      for deployment in all { print(DeploymentText.line(deployment)) }
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop serving a deployment and forget it.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String

    func run() async throws {
      _ = try await DeployCommand.run(endpoint) { try await $0.deleteDeployment(.with { $0.name = name }) }
      print("deleted \(name)")
    }
  }

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A deployment's rollout phase.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String

    func run() async throws {
      let status = try await DeployCommand.run(endpoint) { try await $0.getRolloutStatus(.with { $0.deployment = name }).status }
      print(DeploymentText.status(status))
    }
  }
}

/// `mlops deploy promote|rollback|pause|resume|watch NAME`: a deployment's rollout by hand.
extension DeployCommand {
  struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make the canary the primary at 100%, ending the rollout.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String
    @Option(name: .shortAndLong, help: "Why, for the rollout's message.") var message: String = ""

    func run() async throws {
      let status = try await DeployCommand.run(endpoint) {
        try await $0.promote(
          .with {
            $0.deployment = name
            $0.comment = message
          }
        ).status
      }
      print(DeploymentText.status(status))
    }
  }

  struct Rollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send all traffic back to the primary, ending the rollout.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String
    @Option(name: .shortAndLong, help: "Why, for the rollout's message.") var message: String = ""

    func run() async throws {
      let status = try await DeployCommand.run(endpoint) {
        try await $0.rollback(
          .with {
            $0.deployment = name
            $0.reason = message
          }
        ).status
      }
      print(DeploymentText.status(status))
    }
  }

  struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Freeze the rollout's weights and analysis.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String

    func run() async throws {
      print(
        DeploymentText.status(try await DeployCommand.run(endpoint) { try await $0.pauseRollout(.with { $0.deployment = name }).status }))
    }
  }

  struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Continue a paused rollout from the same step.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String

    func run() async throws {
      print(
        DeploymentText.status(try await DeployCommand.run(endpoint) { try await $0.resumeRollout(.with { $0.deployment = name }).status }))
    }
  }

  struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the rollout's status now and on every change until it ends.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var name: String

    func run() async throws {
      try await DeployCommand.run(endpoint) { router in
        try await router.watchRollout(.with { $0.deployment = name }) { response in
          for try await message in response.messages { print(DeploymentText.status(message.status)) }
        }
      }
    }
  }
}
