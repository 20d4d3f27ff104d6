import AsyncHTTPClient
import Foundation
import Logging
import MLOpsCore
import MLOpsProto
import Prometheus
import ServiceLifecycle

/// The `monitor` process: port 7005. Drift, performance, control charts and alerts; windows
/// are evaluated by a background service as they close.
public enum MonitorRuntime {
  public static let definition = ProcessDefinition(
    name: "monitor",
    defaultPort: 7005,
    migrations: MonitorSchema.migrations,
    serviceNames: [Mlops_Monitor_V1_MonitorService.descriptor.fullyQualifiedService]
  ) { storage, options, metrics, logger in
    let (service, background) = services(
      storage: storage, logger: logger, windowCacheBytes: options.windowCacheMegabytes << 20, metrics: metrics,
      webhooks: WebhookTargets(allowPrivate: options.allowPrivateWebhooks))
    return ProcessServices(rpc: [service], background: background)
  }

  /// The monitor service on `storage`, and the background services it needs running (window
  /// evaluation, the webhook HTTP client's shutdown).
  /// - Parameters:
  ///   - windowCacheBytes: memory for closed windows kept decoded (``MonitorEngine``).
  ///   - metrics: where the window cache's gauges go (the registry `/metrics` renders).
  ///   - webhooks: where alert webhooks may point (`--allow-private-webhooks`).
  ///   - clock: epoch milliseconds; tests pin it to make schedules deterministic.
  public static func services(
    storage: Storage, logger: Logger, tick: Duration = .milliseconds(500),
    windowCacheBytes: Int = MonitorEngine.defaultWindowCacheBytes, metrics: PrometheusCollectorRegistry? = nil,
    webhooks: WebhookTargets = WebhookTargets(allowPrivate: false),
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) -> (MonitorService, [any Service]) {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let actions = AlertActions(http: http, rollbacks: GRPCRollbackRequester(), webhooks: webhooks)
    let engine = MonitorEngine(
      store: MonitorStore(executor: storage.executor), actions: actions, logger: logger, tick: tick,
      windowCacheBytes: windowCacheBytes, observeWindowCache: windowCacheGauges(metrics, budget: windowCacheBytes), clock: clock)
    return (MonitorService(engine: engine), [MonitorBackground(engine: engine), HTTPClientService(client: http)])
  }
}

extension MonitorRuntime {
  /// The window cache on `/metrics`: its budget, and the windows and bytes it holds, so an
  /// operator sizing `--window-cache-mb` sees what it costs.
  static func windowCacheGauges(_ registry: PrometheusCollectorRegistry?, budget: Int) -> @Sendable (Int, Int) -> Void {
    guard let registry else { return { _, _ in } }
    registry.makeGauge(
      descriptor: .init(
        namespace: "mlops", subsystem: "monitor", metricName: "window_cache_budget", unitName: "bytes",
        helpText: "Memory the monitor may use for closed windows kept decoded (--window-cache-mb).")
    ).set(Double(budget))
    let windows = registry.makeGauge(
      descriptor: .init(
        namespace: "mlops", subsystem: "monitor", metricName: "window_cache_windows", unitName: "",
        helpText: "Closed windows the monitor holds decoded in memory."))
    let bytes = registry.makeGauge(
      descriptor: .init(
        namespace: "mlops", subsystem: "monitor", metricName: "window_cache", unitName: "bytes",
        helpText: "Approximate memory of the closed windows held decoded."))
    windows.set(0.0)
    bytes.set(0.0)
    return { held, size in
      windows.set(Double(held))
      bytes.set(Double(size))
    }
  }
}

/// Shuts the webhook client down with the process.
struct HTTPClientService: Service {
  let client: HTTPClient

  func run() async throws {
    try? await gracefulShutdown()
    try await client.shutdown()
  }
}
