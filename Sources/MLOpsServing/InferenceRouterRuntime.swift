import MLOpsCore
import MLOpsProto

/// The `inference-router` process: port 7004, deployments and the Open Inference Protocol.
public enum InferenceRouterRuntime {
  public static let definition = ProcessDefinition(
    name: "inference-router",
    defaultPort: 7004,
    migrations: [],
    serviceNames: [
      Mlops_Serving_V1_InferenceRouterService.descriptor.fullyQualifiedService,
      Inference_GRPCInferenceService.descriptor.fullyQualifiedService,
    ]
  ) { _, _, _, _ in
    ProcessServices(rpc: [
      UnimplementedService(
        methods: Mlops_Serving_V1_InferenceRouterService.Method.descriptors,
        capability: "deployments and rollouts arrive with the serving issue"),
      OpenInferenceService(),
    ])
  }
}
