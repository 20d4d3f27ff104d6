import ArgumentParser
import MLOpsCore
import MLOpsRegistry

/// The `registry` executable: parse configuration, hand it to the shared runtime.
@main
struct RegistryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "registry", abstract: "The mlops registry process (gRPC port \(RegistryRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: RegistryRuntime.definition, options: options).run()
  }
}
