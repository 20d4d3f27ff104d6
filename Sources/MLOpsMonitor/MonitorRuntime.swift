import AsyncHTTPClient
import Foundation
import Logging
import MLOpsCore
import MLOpsProto
import ServiceLifecycle

/// The `monitor` process: port 7005. Drift, performance, control charts and alerts; windows
/// are evaluated by a background service as they close.
public enum MonitorRuntime {
  public static let definition = ProcessDefinition(
    name: "monitor",
    defaultPort: 7005,
    migrations: MonitorSchema.migrations,
    serviceNames: [Mlops_Monitor_V1_MonitorService.descriptor.fullyQualifiedService]
  ) { storage, options, logger in
    let (service, background) = services(storage: storage, logger: logger, windowCacheBytes: options.windowCacheMegabytes << 20)
    return ProcessServices(rpc: [service], background: background)
  }

  /// The monitor service on `storage`, and the background services it needs running (window
  /// evaluation, the webhook HTTP client's shutdown).
  /// - Parameters:
  ///   - windowCacheBytes: memory for closed windows kept decoded (``MonitorEngine``).
  ///   - clock: epoch milliseconds; tests pin it to make schedules deterministic.
  public static func services(
    storage: Storage, logger: Logger, tick: Duration = .milliseconds(500),
    windowCacheBytes: Int = MonitorEngine.defaultWindowCacheBytes,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) -> (MonitorService, [any Service]) {
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    let actions = AlertActions(http: http, rollbacks: GRPCRollbackRequester())
    let engine = MonitorEngine(store: MonitorStore(executor: storage.executor), actions: actions, logger: logger, tick: tick, windowCacheBytes: windowCacheBytes, clock: clock)
    return (MonitorService(engine: engine), [MonitorBackground(engine: engine), HTTPClientService(client: http)])
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
