import ArgumentParser
import MLOpsCore
import MLOpsGateway

/// The `gateway` executable: parse configuration, hand it to the shared runtime.
@main
struct GatewayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gateway", abstract: "The mlops gateway process (gRPC port \(GatewayRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions
  @OptionGroup var gateway: GatewayOptions
  @OptionGroup var peers: PeerAddresses

  static func main() async {
    await CommandRunner.main(
      Self.self, flags: ServerOptions.environmentFlags + GatewayOptions.environmentFlags + PeerAddresses.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
      $0.gateway = gateway
      $0.peers = peers
    }
    try await ProcessRuntime(definition: GatewayRuntime.definition, options: options).run()
  }
}
