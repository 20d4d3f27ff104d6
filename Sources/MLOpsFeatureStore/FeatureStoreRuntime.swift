import Foundation
import Logging
import MLOpsCore
import MLOpsProto

/// The `feature-server` process: port 7003. It loads its definitions and online rows into
/// memory at start, then serves the whole feature store API.
public enum FeatureStoreRuntime {
  public static let definition = ProcessDefinition(
    name: "feature-server",
    defaultPort: 7003,
    migrations: FeatureSchema.migrations,
    serviceNames: [Mlops_Features_V1_FeatureStoreService.descriptor.fullyQualifiedService]
  ) { storage, _, _, logger in
    let (service, follower) = try await services(storage: storage, logger: logger)
    return ProcessServices(rpc: [service], background: [follower], fastRoutes: service.fastRoutes(logger: logger))
  }

  /// The feature store on `storage`, and the follower that keeps it current with other
  /// replicas on the same database.
  /// - Parameter clock: epoch microseconds; tests pin it to make TTLs deterministic.
  public static func services(
    storage: Storage, logger: Logger, tick: Duration = .milliseconds(200),
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
  ) async throws -> (FeatureStoreService, FeatureFollower) {
    let engine = try await FeatureEngine.open(repository: FeatureRepository(executor: storage.executor), logger: logger, clock: clock)
    return (FeatureStoreService(engine: engine), FeatureFollower(engine: engine, tick: tick))
  }
}
