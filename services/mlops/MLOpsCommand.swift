import ArgumentParser
import MLOpsCore

/// `mlops`: the command-line client and local launcher of the platform.
@main
struct MLOpsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mlops",
    abstract: "Run and use the mlops platform.",
    subcommands: [
      UpCommand.self, StatusCommand.self, ModelCommand.self, LegacyModelCommand.self, ExperimentsCommand.self, RunsCommand.self,
      ArtifactsCommand.self,
      ModelsCommand.self, AuditCommand.self, DriftCommand.self, MonitorCommand.self, FeaturesCommand.self, DeployCommand.self,
      PredictCommand.self, KeysCommand.self, PolicyCommand.self, LineageCommand.self,
    ])

  static func main() async {
    let subcommand = CommandLine.arguments.dropFirst().first
    let flags =
      subcommand == "up"
      ? UpCommand.environmentFlags : ["status", "experiments", "runs"].contains(subcommand) ? ["host", "base-port"] : []
    await CommandRunner.main(Self.self, flags: flags)
  }
}
