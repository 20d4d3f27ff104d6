import MLOpsCore
import MLOpsProto

/// The `registry` process: port 7002. It opens and migrates its storage and
/// registers the whole registry API, which answers UNIMPLEMENTED until issue #5 lands.
public enum RegistryRuntime {
  public static let definition = ProcessDefinition(
    name: "registry",
    defaultPort: 7002,
    migrations: [],
    serviceNames: [Mlops_Registry_V1_RegistryService.descriptor.fullyQualifiedService]
  ) { _, _, _ in
    ProcessServices(rpc: [
      UnimplementedService(
        methods: Mlops_Registry_V1_RegistryService.Method.descriptors,
        capability: "the model registry arrives with issue #5")
    ])
  }
}
