import ArgumentParser
import MLOpsCore
import MLOpsFeatureStore

/// The `feature-server` executable: parse configuration, hand it to the shared runtime.
@main
struct FeatureServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "feature-server", abstract: "The mlops feature-server process (gRPC port \(FeatureStoreRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: FeatureStoreRuntime.definition, options: options).run()
  }
}
