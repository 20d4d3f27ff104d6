import MLOpsCore
import MLOpsProto

/// The `gateway` process: port 7000. The gateway's own API answers UNIMPLEMENTED until its issue is filed.
public enum GatewayRuntime {
  public static let definition = ProcessDefinition(
    name: "gateway",
    defaultPort: 7000,
    migrations: [],
    serviceNames: [Mlops_Gateway_V1_GatewayService.descriptor.fullyQualifiedService]
  ) { _, _, _ in
    [UnimplementedService(methods: Mlops_Gateway_V1_GatewayService.Method.descriptors, capability: "API keys, policy and lineage are not scheduled yet")]
  }
}
