import ArgumentParser
import MLOpsCore
import MLOpsMonitor

/// The `monitor` executable: parse configuration, hand it to the shared runtime.
@main
struct MonitorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor", abstract: "The mlops monitor process (gRPC port \(MonitorRuntime.definition.defaultPort)).")

  // Only this process's flags: `--help` lists what it takes.
  @OptionGroup var server: ServerOptions
  @OptionGroup var monitoring: MonitorOptions
  @OptionGroup var inferenceRouterPeer: InferenceRouterPeer

  static func main() async {
    await CommandRunner.main(
      Self.self, flags: ServerOptions.environmentFlags + MonitorOptions.environmentFlags + InferenceRouterPeer.environmentFlags)
  }

  func run() async throws {
    let options = try ProcessOptions.assembled {
      $0.server = server
      $0.monitoring = monitoring
      $0.peers.inferenceRouter = inferenceRouterPeer.address
    }
    try await ProcessRuntime(definition: MonitorRuntime.definition, options: options).run()
  }
}
