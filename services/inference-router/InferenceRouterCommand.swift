import ArgumentParser
import MLOpsCore
import MLOpsServing

/// The `inference-router` executable: parse configuration, hand it to the shared runtime.
@main
struct InferenceRouterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inference-router", abstract: "The mlops inference-router process (gRPC port \(InferenceRouterRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: InferenceRouterRuntime.definition, options: options).run()
  }
}
