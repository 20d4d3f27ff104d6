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
      PredictCommand.self, KeysCommand.self, PolicyCommand.self, LineageCommand.self, DemoCommand.self,
    ])

  static func main() async {
    // Every command finds the platform through EndpointOptions (flag, MLOPS_HOST and
    // MLOPS_BASE_PORT, default); `up` also reads its own flags from the environment.
    let subcommand = CommandLine.arguments.dropFirst().first
    await CommandRunner.main(Self.self, flags: subcommand == "up" ? UpCommand.environmentFlags : [])
  }
}
