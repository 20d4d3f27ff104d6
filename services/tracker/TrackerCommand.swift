import ArgumentParser
import MLOpsCore
import MLOpsTracker

/// The `tracker` executable: parse configuration, hand it to the shared runtime.
@main
struct TrackerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tracker", abstract: "The mlops tracker process (gRPC port \(TrackerRuntime.definition.defaultPort)).")

  @OptionGroup var options: ProcessOptions

  static func main() async {
    await CommandRunner.main(Self.self, flags: ProcessOptions.environmentFlags)
  }

  func run() async throws {
    try await ProcessRuntime(definition: TrackerRuntime.definition, options: options).run()
  }
}
