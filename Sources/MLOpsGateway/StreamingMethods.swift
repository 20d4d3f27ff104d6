/// The RPCs of `proto/` that stream requests or answers. A stream lives as long as its caller
/// wants (a watch, an upload), so the gateway's default deadline never applies to one; a test
/// compares this list with the `.proto` files, so a new streaming RPC cannot be cut short.
public enum StreamingMethods {
  public static let names: Set<String> = [
    "grpc.health.v1.Health/Watch",
    "mlops.features.v1.FeatureStoreService/PushStream",
    "mlops.features.v1.FeatureStoreService/GetHistoricalFeatures",
    "mlops.tracker.v1.TrackerService/WatchRunMetrics",
    "mlops.tracker.v1.TrackerService/UploadArtifact",
    "mlops.tracker.v1.TrackerService/DownloadArtifact",
    "mlops.registry.v1.RegistryService/UploadModelArtifact",
    "mlops.registry.v1.RegistryService/DownloadModelArtifact",
    "mlops.registry.v1.RegistryService/WatchModelEvents",
    "mlops.monitor.v1.MonitorService/SetReference",
    "mlops.monitor.v1.MonitorService/LogPredictionsStream",
    "mlops.monitor.v1.MonitorService/WatchAlerts",
    "mlops.serving.v1.InferenceRouterService/WatchRollout",
  ]
}
