import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops keys`: API keys of the gateway (an admin key is needed).
struct KeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys", abstract: "Create, list and revoke the gateway's API keys.", subcommands: [Create.self, List.self, Revoke.self])

  typealias Client = Mlops_Gateway_V1_GatewayService.Client<HTTP2ClientTransport.Posix>

  static func run<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  enum RoleName: String, ExpressibleByArgument, CaseIterable {
    case viewer, editor, deployer, admin

    var wire: Mlops_Gateway_V1_Role {
      switch self {
      case .viewer: .viewer
      case .editor: .editor
      case .deployer: .deployer
      case .admin: .admin
      }
    }
  }

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make a key; its secret is printed once, on stdout.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Who or what the key is for; recorded as the caller of every call it makes.") var name: String
    @Option(help: "viewer, editor, deployer or admin.") var role: RoleName

    func run() async throws {
      let made = try await KeysCommand.run(endpoint) {
        try await $0.createApiKey(
          .with {
            $0.name = name
            $0.role = role.wire
          })
      }
      FileHandle.standardError.write(
        Data("created key \(made.apiKey.keyID) (\(name), \(role.rawValue)); the secret is shown only now:\n".utf8))
      print(made.secret)
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every key: id, name, role, state; never secrets.")
    @OptionGroup var endpoint: EndpointOptions
    @Flag(help: "Include revoked keys.") var all = false

    func run() async throws {
      let keys = try await KeysCommand.run(endpoint) { client in
        var keys: [Mlops_Gateway_V1_ApiKey] = []
        var token = ""
        repeat {
          let page = try await client.listApiKeys(
            .with {
              $0.includeRevoked = all
              $0.page.pageSize = 1000
              $0.page.pageToken = token
            })
          keys += page.apiKeys
          token = page.nextPageToken
        } while !token.isEmpty
        return keys
      }
      print("KEY_ID        NAME                 ROLE      STATE")
      for key in keys {
        let role = "\(key.role)".replacingOccurrences(of: "ROLE_", with: "").lowercased()
        print(
          [
            key.keyID, key.name.padding(toLength: 20, withPad: " ", startingAt: 0), role.padding(toLength: 9, withPad: " ", startingAt: 0),
            key.revoked ? "revoked" : "active",
          ].joined(separator: " "))
      }
    }
  }

  struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop a key working, at once.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "The key id (from `mlops keys list`).") var keyID: String

    func run() async throws {
      _ = try await KeysCommand.run(endpoint) { try await $0.revokeApiKey(.with { $0.keyID = keyID }) }
      print("revoked \(keyID)")
    }
  }
}
