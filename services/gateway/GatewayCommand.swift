import ArgumentParser
import MLOpsCore
import MLOpsGateway

/// The `gateway` executable: parse configuration, hand it to the shared runtime.
@main
struct GatewayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gateway", abstract: "The mlops gateway process (gRPC port \(GatewayRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: GatewayRuntime.definition, options: options).run()
  }
}
