import ArgumentParser
import MLOpsCore
import MLOpsTracker

/// The `tracker` executable: parse configuration, hand it to the shared runtime.
@main
struct TrackerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tracker", abstract: "The mlops tracker process (gRPC port \(TrackerRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions
  @OptionGroup var artifacts: ArtifactOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ServerOptions.environmentFlags + ArtifactOptions.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
      $0.artifacts = artifacts
    }
    try await ProcessRuntime(definition: TrackerRuntime.definition, options: options).run()
  }
}
