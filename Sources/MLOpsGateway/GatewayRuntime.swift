import GRPCCore
import MLOpsCore
import MLOpsProto

/// The `gateway` process: port 7000, the platform's one address. Every RPC of the other
/// services is forwarded to the process that owns it; of its own API, GetPlatformStatus is
/// answered and the rest (keys, policy, lineage) waits for its issue.
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

  /// The gateway's own service plus one forwarder per peer.
  public static func services(peers: PeerAddresses, ownAddress: String) throws -> ProcessServices {
    var rpc: [any RegistrableRPCService] = []
    var clients: [GRPCClientService] = []
    for route in routes(peers) {
      let client = try GRPCClientService(name: route.name, address: route.address)
      rpc.append(ForwardingService(methods: route.methods, upstream: client))
      clients.append(client)
    }
    rpc.append(GatewayService(peers: clients, ownAddress: ownAddress))
    return ProcessServices(rpc: rpc, background: clients)
  }

  public static let definition = ProcessDefinition(
    name: "gateway",
    defaultPort: defaultPort,
    migrations: [],
    serviceNames: [Mlops_Gateway_V1_GatewayService.descriptor.fullyQualifiedService]
  ) { _, options, _, _ in
    try services(peers: options.peers, ownAddress: "\(options.host):\(options.port ?? defaultPort)")
  }
}
