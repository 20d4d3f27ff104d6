import MLOpsCore
import MLOpsProto

/// The `monitor` process: port 7005. It opens and migrates its storage and
/// registers the whole monitor API, which answers UNIMPLEMENTED until issue #7 lands.
public enum MonitorRuntime {
  public static let definition = ProcessDefinition(
    name: "monitor",
    defaultPort: 7005,
    migrations: [],
    serviceNames: [Mlops_Monitor_V1_MonitorService.descriptor.fullyQualifiedService]
  ) { _, _, _ in
    ProcessServices(rpc: [
      UnimplementedService(
        methods: Mlops_Monitor_V1_MonitorService.Method.descriptors,
        capability: "monitoring and drift detection arrive with issue #7")
    ])
  }
}
