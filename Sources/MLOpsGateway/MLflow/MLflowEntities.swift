import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// MLflow's tracking entities as its REST API writes them (snake_case through the encoder's
/// key strategy, times in epoch milliseconds, enums by MLflow's names), built from the
/// tracker's messages.
enum MLflowEntities {
  struct Tag: Encodable {
    let key: String
    let value: String
  }

  struct Experiment: Encodable {
    let experimentId: String
    let name: String
    let artifactLocation: String
    let lifecycleStage: String
    let lastUpdateTime: Int64
    let creationTime: Int64
    let tags: [Tag]
  }

  struct Metric: Encodable {
    let key: String
    let value: Double
    let timestamp: Int64
    let step: Int64
  }

  struct RunInfo: Encodable {
    let runId: String
    let runUuid: String
    let runName: String
    let experimentId: String
    let userId: String
    let status: String
    let startTime: Int64
    let endTime: Int64?
    let artifactUri: String
    let lifecycleStage: String
  }

  struct RunData: Encodable {
    let metrics: [Metric]
    let params: [Tag]
    let tags: [Tag]
  }

  struct Dataset: Encodable {
    let name: String
    let digest: String
    let sourceType: String
    let source: String
    let schema: String
    let profile: String
  }

  struct DatasetInput: Encodable {
    let tags: [Tag]
    let dataset: Dataset
  }

  struct RunInputs: Encodable {
    let datasetInputs: [DatasetInput]
  }

  struct Run: Encodable {
    let info: RunInfo
    let data: RunData
    let inputs: RunInputs
  }

  static func experiment(_ e: Mlops_Tracker_V1_Experiment) -> Experiment {
    Experiment(
      experimentId: e.experimentID, name: e.name, artifactLocation: e.artifactLocation,
      lifecycleStage: lifecycle(e.lifecycleStage), lastUpdateTime: e.lastUpdateTime.milliseconds,
      creationTime: e.creationTime.milliseconds, tags: e.tags.map { Tag(key: $0.key, value: $0.value) })
  }

  static func run(_ r: Mlops_Tracker_V1_Run) -> Run {
    Run(
      info: info(r.info),
      data: RunData(
        metrics: r.data.metrics.map(metric), params: r.data.params.map { Tag(key: $0.key, value: $0.value) },
        tags: r.data.tags.map { Tag(key: $0.key, value: $0.value) }),
      inputs: RunInputs(
        datasetInputs: r.inputs.map { input in
          DatasetInput(
            tags: input.tags.map { Tag(key: $0.key, value: $0.value) },
            dataset: Dataset(
              name: input.dataset.name, digest: input.dataset.digest, sourceType: input.dataset.sourceType,
              source: input.dataset.source, schema: input.dataset.schema, profile: input.dataset.profile))
        }))
  }

  static func info(_ i: Mlops_Tracker_V1_RunInfo) -> RunInfo {
    RunInfo(
      runId: i.runID, runUuid: i.runID, runName: i.runName, experimentId: i.experimentID, userId: i.userID,
      status: status(i.status), startTime: i.startTime.milliseconds, endTime: i.hasEndTime ? i.endTime.milliseconds : nil,
      artifactUri: MLflowFront.artifactURI(run: i.runID), lifecycleStage: lifecycle(i.lifecycleStage))
  }

  static func metric(_ m: Mlops_Tracker_V1_Metric) -> Metric {
    Metric(key: m.key, value: m.value, timestamp: m.timestamp.milliseconds, step: m.step)
  }

  static func lifecycle(_ stage: Mlops_Tracker_V1_LifecycleStage) -> String {
    stage == .deleted ? "deleted" : "active"
  }

  /// MLflow's `RunStatus` names.
  static let statuses: [(Mlops_Tracker_V1_RunStatus, String)] = [
    (.running, "RUNNING"), (.scheduled, "SCHEDULED"), (.finished, "FINISHED"), (.failed, "FAILED"), (.killed, "KILLED"),
  ]

  static func status(_ status: Mlops_Tracker_V1_RunStatus) -> String {
    statuses.first { $0.0 == status }?.1 ?? "RUNNING"
  }

  /// A run status by MLflow's name. - Throws: INVALID_PARAMETER_VALUE naming `field`.
  static func status(named name: String, field: String) throws -> Mlops_Tracker_V1_RunStatus {
    guard let found = statuses.first(where: { $0.1 == name }) else {
      throw MLflowError.invalidParameter("'\(field)' must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED, not '\(name)'")
    }
    return found.0
  }

  /// MLflow's `ViewType` names (`run_view_type`, `view_type`); ACTIVE_ONLY when absent.
  static func viewType(_ name: String, field: String) throws -> Mlops_Common_V1_ViewType {
    switch name {
    case "", "ACTIVE_ONLY", "1": return .activeOnly
    case "DELETED_ONLY", "2": return .deletedOnly
    case "ALL", "3": return .all
    default: throw MLflowError.invalidParameter("'\(field)' must be ACTIVE_ONLY, DELETED_ONLY or ALL, not '\(name)'")
    }
  }
}
