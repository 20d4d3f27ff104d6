import GRPCCore
import MLOpsProto

/// The role each RPC needs, one row per RPC of every service the gateway serves: a test fails
/// when an RPC is added to `proto/` without a row, so no call is ever authorised by default.
/// Health checks need no key (Kubernetes probes carry none).
public enum RoleTable {
  /// Methods anyone may call, key or not.
  public static let open: Set<String> = ["grpc.health.v1.Health/Check", "grpc.health.v1.Health/Watch"]

  /// Fully qualified method ("package.Service/Method") → the least role that may call it.
  public static let roles: [String: Role] = {
    var table: [String: Role] = [:]
    func add(_ service: String, _ role: Role, _ methods: [String]) {
      for method in methods { table["\(service)/\(method)"] = role }
    }
    let tracker = "mlops.tracker.v1.TrackerService"
    add(
      tracker, .viewer,
      [
        "GetExperiment", "GetExperimentByName", "SearchExperiments", "GetRun", "SearchRuns", "GetMetricHistory",
        "WatchRunMetrics", "ListArtifacts", "DownloadArtifact", "GetLoggedModel", "SearchLoggedModels",
      ])
    add(
      tracker, .editor,
      [
        "CreateExperiment", "UpdateExperiment", "DeleteExperiment", "RestoreExperiment", "SetExperimentTag", "CreateRun",
        "UpdateRun", "DeleteRun", "RestoreRun", "LogMetric", "LogParam", "SetTag", "DeleteTag", "LogBatch", "LogInputs",
        "UploadArtifact", "CreateLoggedModel", "FinalizeLoggedModel", "SetLoggedModelTags", "DeleteLoggedModel",
      ])
    let registry = "mlops.registry.v1.RegistryService"
    add(
      registry, .viewer,
      [
        "GetRegisteredModel", "SearchRegisteredModels", "GetModelVersion", "SearchModelVersions", "GetModelVersionByAlias",
        "DownloadModelArtifact", "ListAuditEvents", "WatchModelEvents",
      ])
    add(
      registry, .editor,
      [
        "CreateRegisteredModel", "UpdateRegisteredModel", "RenameRegisteredModel", "DeleteRegisteredModel", "SetRegisteredModelTag",
        "CreateModelVersion", "UpdateModelVersion", "DeleteModelVersion", "SetModelVersionTag", "ReviewModelVersion",
        "DeleteRegisteredModelTag", "DeleteModelVersionTag",
        "UploadModelArtifact",
      ])
    add(registry, .deployer, ["SetAlias", "DeleteAlias", "TransitionStage"])
    let features = "mlops.features.v1.FeatureStoreService"
    add(features, .viewer, ["GetFeatureView", "ListFeatureViews", "GetOnlineFeatures", "GetHistoricalFeatures", "CheckConsistency"])
    add(
      features, .editor,
      [
        "ApplyEntity", "ApplyFeatureView", "DeleteFeatureView", "ApplyFeatureService", "Push", "PushStream", "Materialize",
        "MaterializeIncremental",
      ])
    let serving = "mlops.serving.v1.InferenceRouterService"
    add(serving, .viewer, ["GetDeployment", "ListDeployments", "Predict", "GetRolloutStatus", "WatchRollout"])
    add(
      serving, .deployer,
      [
        "CreateDeployment", "UpdateDeployment", "DeleteDeployment", "Promote", "Rollback", "PauseRollout", "ResumeRollout",
      ])
    add(
      "inference.GRPCInferenceService", .viewer,
      ["ServerLive", "ServerReady", "ModelReady", "ServerMetadata", "ModelMetadata", "ModelInfer"])
    let monitor = "mlops.monitor.v1.MonitorService"
    add(
      monitor, .viewer,
      ["GetMonitor", "ListMonitors", "GetDriftReport", "ListDriftReports", "GetControlChart", "ListAlerts", "WatchAlerts"])
    add(
      monitor, .editor,
      [
        "CreateMonitor", "UpdateMonitor", "SetReference", "LogPredictions", "LogPredictionsStream", "LogLabels", "ComputeDrift",
        "AcknowledgeAlert",
      ])
    let gateway = "mlops.gateway.v1.GatewayService"
    add(gateway, .viewer, ["GetPolicy", "EvaluatePolicy", "GetModelLineage", "GetPlatformStatus"])
    add(gateway, .admin, ["CreateApiKey", "RevokeApiKey", "ListApiKeys", "SetPolicy", "ListAuditEvents"])
    return table
  }()

  /// The role `method` needs; nil for open methods. An RPC missing from the table needs admin.
  public static func role(for method: MethodDescriptor) -> Role? {
    let name = method.fullyQualifiedMethod
    if open.contains(name) { return nil }
    return roles[name] ?? .admin
  }
}
