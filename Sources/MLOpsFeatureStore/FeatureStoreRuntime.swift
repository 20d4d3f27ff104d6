import MLOpsCore
import MLOpsProto

/// The `feature-server` process: port 7003. It opens and migrates its storage and
/// registers the whole feature store API, which answers UNIMPLEMENTED until issue #6 lands.
public enum FeatureStoreRuntime {
  public static let definition = ProcessDefinition(
    name: "feature-server",
    defaultPort: 7003,
    migrations: [],
    serviceNames: [Mlops_Features_V1_FeatureStoreService.descriptor.fullyQualifiedService]
  ) { _, _, _ in
    ProcessServices(rpc: [
      UnimplementedService(
        methods: Mlops_Features_V1_FeatureStoreService.Method.descriptors,
        capability: "the feature store arrives with issue #6")
    ])
  }
}
