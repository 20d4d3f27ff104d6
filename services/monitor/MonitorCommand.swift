import ArgumentParser
import MLOpsCore
import MLOpsMonitor

/// The `monitor` executable: parse configuration, hand it to the shared runtime.
@main
struct MonitorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor", abstract: "The mlops monitor process (gRPC port \(MonitorRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: MonitorRuntime.definition, options: options).run()
  }
}
