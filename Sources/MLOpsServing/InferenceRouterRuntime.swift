import Foundation
import Logging
import MLOpsCore
import MLOpsProto
import Prometheus
import ServiceLifecycle

/// The `inference-router` process: port 7004, deployments and the Open Inference Protocol.
/// It asks the registry (`--registry-address`) for models and keeps them under
/// `<data-dir>/models`, one verified file per digest.
public enum InferenceRouterRuntime {
  public static let definition = ProcessDefinition(
    name: "inference-router",
    defaultPort: 7004,
    migrations: ServingSchema.migrations,
    serviceNames: [
      Mlops_Serving_V1_InferenceRouterService.descriptor.fullyQualifiedService,
      Inference_GRPCInferenceService.descriptor.fullyQualifiedService,
    ]
  ) { storage, options, metrics, logger in
    let registry = try GRPCClientService(name: "registry", address: options.peers.registry)
    let engine = engine(
      storage: storage, modelDirectory: modelDirectory(options: options, storage: storage),
      source: RegistryModelSource(peer: registry), metrics: metrics, logger: logger)
    return ProcessServices(
      rpc: [InferenceRouterService(engine: engine), OpenInferenceService(engine: engine)],
      background: [registry, RouterBackground(engine: engine, logger: logger)])
  }

  /// The router's engine on `storage`, loading models from `source` into `modelDirectory`.
  public static func engine(
    storage: Storage, modelDirectory: URL, source: any ModelSource, metrics: PrometheusCollectorRegistry?, logger: Logger
  ) -> RouterEngine {
    RouterEngine(
      store: DeploymentStore(executor: storage.executor), cache: ModelCache(directory: modelDirectory, source: source),
      logger: logger, metrics: RouterMetrics(registry: metrics))
  }

  /// `models` beside the SQLite file, or under the data dir when state is in PostgreSQL.
  static func modelDirectory(options: ProcessOptions, storage: Storage) -> URL {
    let base: String
    if case .sqlite(let database) = storage {
      base = (database.path as NSString).deletingLastPathComponent
    } else {
      base = options.dataDirectory ?? "./data/inference-router"
    }
    return URL(fileURLWithPath: base).appendingPathComponent("models")
  }
}

/// Loads the stored deployments once the process runs, retrying the ones whose models could
/// not be loaded (the registry down at start-up) every few seconds, and judges canary
/// rollouts whose interval has run out.
public struct RouterBackground: Service {
  let engine: RouterEngine
  let logger: Logger
  let retry: Duration
  let tick: Duration

  public init(engine: RouterEngine, logger: Logger, retry: Duration = .seconds(3), tick: Duration = .milliseconds(50)) {
    self.engine = engine
    self.logger = logger
    self.retry = retry
    self.tick = tick
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      var restored = false
      var lastAttempt: ContinuousClock.Instant?
      while !Task.isCancelled {
        if !restored, lastAttempt.map({ ContinuousClock.now - $0 >= retry }) ?? true {
          lastAttempt = .now
          do {
            restored = try await engine.restore() == 0
          } catch {
            logger.warning("cannot read the stored deployments", metadata: ["error": "\(error)"])
          }
        }
        await engine.advanceRollouts()
        try? await Task.sleep(for: tick)
      }
    }
    try? await gracefulShutdown()
  }
}
