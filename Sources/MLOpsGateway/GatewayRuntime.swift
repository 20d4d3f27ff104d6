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
  /// front of all of them, the deployment policy on the changes it gates, and the services that
  /// keep keys current and the audit written.
  /// - Parameters:
  ///   - rateLimit: calls per second per key (0: none).
  ///   - defaultDeadline: the limit of a forwarded unary call that carries no deadline.
  public static func services(
    peers: PeerAddresses, ownAddress: String, auth: GatewayAuth?, rateLimit: Double = 0, defaultDeadline: Duration? = .seconds(60),
    logger: Logger
  ) throws -> ProcessServices {
    let routes = routes(peers)
    let clients = try Dictionary(uniqueKeysWithValues: routes.map { ($0.name, try GRPCClientService(name: $0.name, address: $0.address)) })
    let facts = PeerFacts(
      registry: clients["registry"]!, tracker: clients["tracker"]!, monitor: clients["monitor"]!, router: clients["inference-router"]!)
    var policy: PolicyServices?
    var gate: PolicyGate?
    if let auth {
      let engine = PolicyEngine(store: auth.policies, facts: facts)
      policy = PolicyServices(store: auth.policies, engine: engine, facts: facts, audit: auth.audit, clock: auth.keys.clock)
      gate = PolicyGate(engine: engine, facts: facts, audit: auth.audit)
    }
    let forwarders = routes.map {
      ForwardingService(methods: $0.methods, upstream: clients[$0.name]!, gate: gate, defaultDeadline: defaultDeadline)
    }
    let relays = routes.map { NGHTTP2Relay(address: $0.address, maxMessageBytes: GRPCServerService.maxPayloadBytes) }
    let authorizer = auth.map {
      CallAuthorizer(ring: $0.ring, audit: $0.audit, limiter: rateLimit > 0 ? RateLimiter(rate: rateLimit) : nil)
    }
    let fastRoutes = zip(forwarders, relays).flatMap { $0.fastRoutes(relay: $1, authorizer: authorizer, logger: logger) }
    let ordered = routes.map { clients[$0.name]! }
    let rpc: [any RegistrableRPCService] =
      forwarders + [
        GatewayService(peers: ordered, ownAddress: ownAddress, keys: auth?.keys, policy: policy, lineage: LineageBuilder(facts: facts))
      ]
    let mlflow = MLflowFront(
      tracker: clients["tracker"]!.client, registry: clients["registry"]!.client, authorizer: authorizer, gate: gate,
      deadline: defaultDeadline ?? .seconds(60), logger: logger)
    let json = JSONFront(
      upstreams: routes.map { JSONFront.Upstream(client: clients[$0.name]!.client, methods: $0.methods) }, authorizer: authorizer,
      gate: gate,
      deadline: defaultDeadline ?? .seconds(60))
    let oip = OpenInferenceREST(
      router: clients["inference-router"]!.client, authorizer: authorizer, deadline: defaultDeadline ?? .seconds(60))
    guard let auth, let authorizer else {
      return ProcessServices(rpc: rpc, background: ordered + relays, fastRoutes: fastRoutes, httpRoutes: [mlflow, json, oip])
    }
    return ProcessServices(
      rpc: rpc, background: ordered + relays + [auth.audit, KeyRingRefresher(ring: auth.ring, logger: logger)],
      interceptors: [AuthInterceptor(authorizer: authorizer)], fastRoutes: fastRoutes, httpRoutes: [mlflow, json, oip])
  }

  /// Keys and audit on `storage`, the admin key made or installed, the ring loaded.
  public static func auth(storage: Storage, options: ProcessOptions, logger: Logger) async throws -> GatewayAuth {
    let store = ApiKeyStore(executor: storage.executor)
    let ring = KeyRing(store: store)
    let keys = KeyManager(store: store, ring: ring)
    try await keys.bootstrap(file: options.adminKeyFile, dataDirectory: dataDirectory(options: options, storage: storage), logger: logger)
    try await ring.refresh()
    return GatewayAuth(
      keys: keys, ring: ring, audit: AuditLog(executor: storage.executor, logger: logger), policies: PolicyStore(executor: storage.executor)
    )
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
    return try services(
      peers: options.peers, ownAddress: "\(options.host):\(options.port ?? defaultPort)", auth: auth, rateLimit: options.rateLimit,
      defaultDeadline: try options.defaultDeadline(), logger: logger)
  }
}

/// What a gateway with auth on keeps: keys, the ring that checks them, the audit, policies.
public struct GatewayAuth: Sendable {
  public let keys: KeyManager
  public let ring: KeyRing
  public let audit: AuditLog
  public let policies: PolicyStore
}
