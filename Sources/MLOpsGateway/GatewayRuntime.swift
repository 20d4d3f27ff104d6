import GRPCCore
import MLOpsCore
import MLOpsProto
import ServiceLifecycle

/// The `gateway` process: port 7000, the platform's one address. Every RPC of the other
/// services is forwarded to the process that owns it; the gateway's own API (keys, policy,
/// lineage) answers UNIMPLEMENTED until its issue is filed.
public enum GatewayRuntime {
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

  /// The gateway's own services plus one forwarder per peer.
  public static func services(peers: PeerAddresses) throws -> ProcessServices {
    var rpc: [any RegistrableRPCService] = [
      UnimplementedService(
        methods: Mlops_Gateway_V1_GatewayService.Method.descriptors,
        capability: "API keys, policy and lineage are not scheduled yet")
    ]
    var background: [any Service] = []
    for route in routes(peers) {
      let client = try GRPCClientService(name: route.name, address: route.address)
      rpc.append(ForwardingService(methods: route.methods, upstream: client))
      background.append(client)
    }
    return ProcessServices(rpc: rpc, background: background)
  }

  public static let definition = ProcessDefinition(
    name: "gateway",
    defaultPort: 7000,
    migrations: [],
    serviceNames: [Mlops_Gateway_V1_GatewayService.descriptor.fullyQualifiedService]
  ) { _, options, _ in
    try services(peers: options.peers)
  }
}
