import MLOpsCore
import MLOpsProto

/// The `tracker` process: port 7001, experiments and runs.
public enum TrackerRuntime {
  public static let definition = ProcessDefinition(
    name: "tracker",
    defaultPort: 7001,
    migrations: TrackerSchema.migrations,
    serviceNames: [Mlops_Tracker_V1_TrackerService.descriptor.fullyQualifiedService]
  ) { storage, _, logger in
    let (experiments, runs): (any ExperimentRepository, any RunRepository) =
      switch storage {
      case .sqlite(let database): (SQLiteExperimentRepository(database: database), SQLiteRunRepository(database: database))
      case .postgres(let database):
        (PostgresExperimentRepository(database: database, logger: logger), PostgresRunRepository(database: database, logger: logger))
      }
    return ProcessServices(rpc: [TrackerService(engine: TrackerEngine(experiments: experiments, runs: runs))])
  }
}
