import ArgumentParser
import MLOpsCore
import MLOpsRegistry

/// The `registry` executable: parse configuration, hand it to the shared runtime.
@main
struct RegistryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "registry", abstract: "The mlops registry process (gRPC port \(RegistryRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions
  @OptionGroup var artifacts: ArtifactOptions
  @OptionGroup var trackerPeer: TrackerPeer

  static func main() async {
    await CommandRunner.main(
      Self.self, flags: ServerOptions.environmentFlags + ArtifactOptions.environmentFlags + TrackerPeer.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
      $0.artifacts = artifacts
      $0.peers.tracker = trackerPeer.address
    }
    try await ProcessRuntime(definition: RegistryRuntime.definition, options: options).run()
  }
}
