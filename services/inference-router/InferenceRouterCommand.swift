import ArgumentParser
import MLOpsCore
import MLOpsServing

/// The `inference-router` executable: parse configuration, hand it to the shared runtime.
@main
struct InferenceRouterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inference-router",
    abstract: "The mlops inference-router process (gRPC port \(InferenceRouterRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions
  @OptionGroup var registryPeer: RegistryPeer
  @OptionGroup var featureServerPeer: FeatureServerPeer
  @OptionGroup var monitorPeer: MonitorPeer

  static func main() async {
    await CommandRunner.main(
      Self.self,
      flags: ServerOptions.environmentFlags + RegistryPeer.environmentFlags + FeatureServerPeer.environmentFlags
        + MonitorPeer.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
      $0.peers.registry = registryPeer.address
      $0.peers.featureServer = featureServerPeer.address
      $0.peers.monitor = monitorPeer.address
    }
    try await ProcessRuntime(definition: InferenceRouterRuntime.definition, options: options).run()
  }
}
