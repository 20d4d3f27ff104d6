import ArgumentParser
import MLOpsCore
import MLOpsFeatureStore

/// The `feature-server` executable: parse configuration, hand it to the shared runtime.
@main
struct FeatureServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "feature-server", abstract: "The mlops feature-server process (gRPC port \(FeatureStoreRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ServerOptions.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
    }
    try await ProcessRuntime(definition: FeatureStoreRuntime.definition, options: options).run()
  }
}
