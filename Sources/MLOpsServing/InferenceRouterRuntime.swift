import Foundation
import Logging
import MLOpsCore
import MLOpsProto
import Prometheus
import ServiceLifecycle

/// The `inference-router` process: port 7004, deployments and the Open Inference Protocol.
/// It asks the registry (`--registry-address`) for models and keeps them under
/// `<data-dir>/models`, one verified file per digest; reads online features from the
/// feature-server (`--feature-server-address`) and samples predictions to the monitor
/// (`--monitor-address`).
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
    let monitor = try GRPCClientService(name: "monitor", address: options.peers.monitor)
    let featureServer = try GRPCClientService(name: "feature-server", address: options.peers.featureServer)
    let featureRelay = NGHTTP2Relay(address: options.peers.featureServer, maxMessageBytes: GRPCServerService.maxPayloadBytes)
    let mirror = ShadowMirror()
    let sampler = PredictionSampler(sink: MonitorPredictionSink(peer: monitor), metrics: RouterMetrics(registry: metrics), logger: logger)
    let engine = engine(
      storage: storage, modelDirectory: modelDirectory(options: options, storage: storage),
      source: RegistryModelSource(peer: registry), sampler: sampler, features: GRPCFeatureLookup(peer: featureServer, relay: featureRelay),
      shadowMirror: mirror, alerts: MonitorAlertSource(peer: monitor), metrics: metrics, logger: logger)
    let router = InferenceRouterService(engine: engine)
    let openInference = OpenInferenceService(engine: engine)
    return ProcessServices(
      rpc: [router, openInference],
      background: [
        registry, monitor, featureServer, featureRelay, sampler, mirror, RouterBackground(engine: engine, logger: logger),
        AliasFollower(engine: engine, peer: registry, logger: logger),
      ], fastRoutes: router.fastRoutes(logger: logger) + openInference.fastRoutes(logger: logger))
  }

  /// The router's engine on `storage`, loading models from `source` into `modelDirectory`
  /// and handing sampled predictions to `sampler`.
  public static func engine(
    storage: Storage, modelDirectory: URL, source: any ModelSource, sampler: PredictionSampler? = nil,
    features: (any FeatureLookup)? = nil, shadowMirror: ShadowMirror? = nil, alerts: (any AlertSource)? = nil,
    metrics: PrometheusCollectorRegistry?, logger: Logger
  ) -> RouterEngine {
    RouterEngine(
      store: DeploymentStore(executor: storage.executor), cache: ModelCache(directory: modelDirectory, source: source),
      logger: logger, metrics: RouterMetrics(registry: metrics), sampler: sampler, features: features, shadowMirror: shadowMirror,
      alerts: alerts)
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

/// Loads the stored deployments once the process runs and then follows storage every few
/// seconds (deployments whose models could not load yet, changes made by another replica),
/// and judges canary rollouts whose interval has run out.
public struct RouterBackground: Service {
  let engine: RouterEngine
  let logger: Logger
  let refresh: Duration
  let tick: Duration

  public init(engine: RouterEngine, logger: Logger, refresh: Duration = .seconds(2), tick: Duration = .milliseconds(50)) {
    self.engine = engine
    self.logger = logger
    self.refresh = refresh
    self.tick = tick
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      var lastRefresh: ContinuousClock.Instant?
      while !Task.isCancelled {
        if lastRefresh.map({ ContinuousClock.now - $0 >= refresh }) ?? true {
          lastRefresh = .now
          do {
            _ = try await engine.refresh()
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
