import Logging
import MLOpsCore
import MLOpsProto

/// The `tracker` process: port 7001, experiments, runs and their artifacts.
public enum TrackerRuntime {
  public static let definition = ProcessDefinition(
    name: "tracker",
    defaultPort: 7001,
    migrations: TrackerSchema.migrations,
    serviceNames: [Mlops_Tracker_V1_TrackerService.descriptor.fullyQualifiedService]
  ) { storage, options, _, logger in
    let service = try service(storage: storage, options: options, logger: logger)
    return ProcessServices(rpc: [service], fastRoutes: service.fastRoutes(logger: logger))
  }

  /// The tracker service on `storage`, its artifact blobs under the configured root (abandoned
  /// partial uploads swept first). Tests pass a small page size to exercise paging.
  public static func service(
    storage: Storage, options: ProcessOptions, logger: Logger, artifactPageSize: Int = ArtifactEngine.defaultPageSize
  ) throws -> TrackerService {
    let executor = storage.executor
    let (experiments, runs, index) =
      (ExperimentRepository(executor: executor), RunRepository(executor: executor), ArtifactRepository(executor: executor))
    let blobs = try BlobStore(root: options.artifactDirectory(process: "tracker", storage: storage))
    blobs.removeAbandonedUploads()
    let artifacts = ArtifactEngine(
      runs: runs, index: index, blobs: blobs, maxBytes: options.maxArtifactBytes, pageSize: artifactPageSize)
    let models = LoggedModelEngine(experiments: experiments, runs: runs, models: LoggedModelRepository(executor: executor))
    return TrackerService(engine: TrackerEngine(experiments: experiments, runs: runs), artifacts: artifacts, models: models)
  }
}
