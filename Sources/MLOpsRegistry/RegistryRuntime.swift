import Logging
import MLOpsCore
import MLOpsProto

/// The `registry` process: port 7002, registered models, versions and their artifacts. It
/// calls the tracker (`--tracker-address`) to check and snapshot runs.
public enum RegistryRuntime {
  public static let definition = ProcessDefinition(
    name: "registry",
    defaultPort: 7002,
    migrations: RegistrySchema.migrations,
    serviceNames: [Mlops_Registry_V1_RegistryService.descriptor.fullyQualifiedService]
  ) { storage, options, _, logger in
    let tracker = try GRPCClientService(name: "tracker", address: options.peers.tracker)
    let service = try service(storage: storage, options: options, logger: logger, runs: TrackerRunLookup(peer: tracker))
    return ProcessServices(rpc: [service], background: [tracker], fastRoutes: service.fastRoutes(logger: logger))
  }

  /// The registry service on `storage`, asking `runs` about tracker runs.
  public static func service(storage: Storage, options: ProcessOptions, logger: Logger, runs: any RunLookup) throws -> RegistryService {
    let models = ModelRepository(executor: storage.executor)
    let blobs = try BlobStore(root: options.artifactDirectory(process: "registry", storage: storage))
    blobs.removeAbandonedUploads()
    return RegistryService(engine: RegistryEngine(models: models, runs: runs, blobs: blobs, maxArtifactBytes: options.maxArtifactBytes))
  }
}
