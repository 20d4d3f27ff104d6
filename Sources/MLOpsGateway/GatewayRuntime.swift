import Foundation
import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto
import ServiceLifecycle

/// The `gateway` process: port 7000, the platform's one address. Every RPC of the other
/// services is forwarded to the process that owns it, after the API key of the call has been
/// checked against the RPC's role (unless `--auth=off`).
public enum GatewayRuntime {
  /// The platform's one address by default.
  public static let defaultPort = 7000

  /// Which peer owns which services.
  static func routes(_ peers: PeerAddresses) -> [(name: String, address: PeerAddress, methods: [MethodDescriptor])] {
    [
      ("tracker", peers.tracker, Mlops_Tracker_V1_TrackerService.Method.descriptors),
      ("registry", peers.registry, Mlops_Registry_V1_RegistryService.Method.descriptors),
      ("feature-server", peers.featureServer, Mlops_Features_V1_FeatureStoreService.Method.descriptors),
      (
        "inference-router", peers.inferenceRouter,
        Mlops_Serving_V1_InferenceRouterService.Method.descriptors
          + Inference_GRPCInferenceService.Method.descriptors
      ),
      ("monitor", peers.monitor, Mlops_Monitor_V1_MonitorService.Method.descriptors),
    ]
  }

  /// The gateway's own service plus one forwarder per peer; with `auth`, the key check in
  /// front of all of them and the services that keep keys current and the audit written.
  public static func services(
    peers: PeerAddresses, ownAddress: String, auth: (keys: KeyManager, ring: KeyRing, audit: AuditLog)?, logger: Logger
  ) throws -> ProcessServices {
    var rpc: [any RegistrableRPCService] = []
    var clients: [GRPCClientService] = []
    for route in routes(peers) {
      let client = try GRPCClientService(name: route.name, address: route.address)
      rpc.append(ForwardingService(methods: route.methods, upstream: client))
      clients.append(client)
    }
    rpc.append(GatewayService(peers: clients, ownAddress: ownAddress, keys: auth?.keys))
    guard let auth else { return ProcessServices(rpc: rpc, background: clients) }
    return ProcessServices(
      rpc: rpc, background: clients + [auth.audit, KeyRingRefresher(ring: auth.ring, logger: logger)],
      interceptors: [AuthInterceptor(ring: auth.ring, audit: auth.audit)])
  }

  /// Keys and audit on `storage`, the admin key made or installed, the ring loaded.
  public static func auth(storage: Storage, options: ProcessOptions, logger: Logger) async throws -> (keys: KeyManager, ring: KeyRing, audit: AuditLog) {
    let store = ApiKeyStore(executor: storage.executor)
    let ring = KeyRing(store: store)
    let keys = KeyManager(store: store, ring: ring)
    try await keys.bootstrap(file: options.adminKeyFile, dataDirectory: dataDirectory(options: options, storage: storage), logger: logger)
    try await ring.refresh()
    return (keys, ring, AuditLog(executor: storage.executor, logger: logger))
  }

  /// Where the admin key file goes: beside the SQLite file, or the data dir with PostgreSQL.
  static func dataDirectory(options: ProcessOptions, storage: Storage) -> String {
    if case .sqlite(let database) = storage { return (database.path as NSString).deletingLastPathComponent }
    return options.dataDirectory ?? "./data/gateway"
  }

  public static let definition = ProcessDefinition(
    name: "gateway",
    defaultPort: defaultPort,
    migrations: GatewaySchema.migrations,
    serviceNames: [Mlops_Gateway_V1_GatewayService.descriptor.fullyQualifiedService]
  ) { storage, options, _, logger in
    if options.auth == .off { logger.warning("--auth=off: every call is allowed without an API key; for local use only") }
    let auth = options.auth == .on ? try await auth(storage: storage, options: options, logger: logger) : nil
    return try services(peers: options.peers, ownAddress: "\(options.host):\(options.port ?? defaultPort)", auth: auth, logger: logger)
  }
}
