import MLOpsCore
import MLOpsProto

/// MLflow's model registry entities as its REST API writes them, built from the registry's
/// messages: versions as decimal strings, stages by MLflow's names ("None", "Staging" …).
enum MLflowRegistryEntities {
  struct Alias: Encodable, Sendable {
    let alias: String
    let version: String
  }

  struct RegisteredModel: Encodable, Sendable {
    let name: String
    let creationTimestamp: Int64
    let lastUpdatedTimestamp: Int64
    let description: String
    let latestVersions: [ModelVersion]
    let tags: [MLflowEntities.Tag]
    let aliases: [Alias]
  }

  struct ModelVersion: Encodable, Sendable {
    let name: String
    let version: String
    let creationTimestamp: Int64
    let lastUpdatedTimestamp: Int64
    let userId: String
    let currentStage: String
    let description: String
    let source: String
    let runId: String
    let status: String
    let statusMessage: String
    let tags: [MLflowEntities.Tag]
    let runLink: String
    let aliases: [String]
  }

  static func model(_ m: Mlops_Registry_V1_RegisteredModel) -> RegisteredModel {
    RegisteredModel(
      name: m.name, creationTimestamp: m.creationTime.milliseconds,
      lastUpdatedTimestamp: m.lastUpdatedTime.milliseconds, description: m.description_p,
      latestVersions: m.latestVersions.map(version), tags: m.tags.map { MLflowEntities.Tag(key: $0.key, value: $0.value) },
      aliases: m.aliases.map { Alias(alias: $0.alias, version: String($0.version)) })
  }

  static func version(_ v: Mlops_Registry_V1_ModelVersion) -> ModelVersion {
    ModelVersion(
      name: v.name, version: String(v.version), creationTimestamp: v.creationTime.milliseconds,
      lastUpdatedTimestamp: v.lastUpdatedTime.milliseconds, userId: v.createdBy, currentStage: stage(v.stage),
      description: v.description_p, source: v.source, runId: v.runID, status: status(v.status), statusMessage: v.statusMessage,
      tags: v.tags.map { MLflowEntities.Tag(key: $0.key, value: $0.value) }, runLink: "", aliases: v.aliases)
  }

  /// MLflow's stage names.
  static let stages: [(Mlops_Registry_V1_Stage, String)] = [
    (.none, "None"), (.staging, "Staging"), (.production, "Production"), (.archived, "Archived"),
  ]

  static func stage(_ stage: Mlops_Registry_V1_Stage) -> String {
    stages.first { $0.0 == stage }?.1 ?? "None"
  }

  /// A stage by MLflow's name, in any case as MLflow accepts it. - Throws: INVALID_PARAMETER_VALUE.
  static func stage(named name: String) throws -> Mlops_Registry_V1_Stage {
    guard let found = stages.first(where: { $0.1.lowercased() == name.lowercased() }) else {
      throw MLflowError.invalidParameter("'stage' must be one of None, Staging, Production, Archived, not '\(name)'")
    }
    return found.0
  }

  static func status(_ status: Mlops_Registry_V1_ModelVersionStatus) -> String {
    switch status {
    case .ready: "READY"
    case .failedRegistration: "FAILED_REGISTRATION"
    default: "PENDING_REGISTRATION"
    }
  }
}
