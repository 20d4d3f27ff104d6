import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// GetModelLineage: deployment → variants → versions (stage, digest) → runs (params, metrics,
/// datasets) → feature views of its enrichment → monitors (reference, open alerts, last
/// drift), assembled from the router, registry, tracker and monitor in one answer. The
/// versions, runs and monitors are asked concurrently. A peer that does not answer makes the
/// whole call UNAVAILABLE naming it, rather than a partial answer a program could mistake for
/// the full one.
public struct LineageBuilder: Sendable {
  let facts: PeerFacts

  public init(facts: PeerFacts) {
    self.facts = facts
  }

  public func lineage(_ deployment: String) async throws -> Mlops_Gateway_V1_GetModelLineageResponse {
    guard !deployment.isEmpty else { throw GatewayError.invalidArgument(field: "deployment", reason: "must name a deployment") }
    let router = Mlops_Serving_V1_InferenceRouterService.Client(wrapping: facts.router.client)
    let options = facts.options
    guard
      let found = try await facts.ask(
        facts.router, { try await router.getDeployment(.with { $0.name = deployment }, options: options).deployment })
    else {
      throw GatewayError.deploymentNotFound(deployment)
    }
    let views = Array(Set(found.enrichment.features.compactMap { $0.split(separator: ":").first.map(String.init) })).sorted()
    async let monitors = monitorStatus(deployment)
    let variants = try await withThrowingTaskGroup(of: (Int, Mlops_Gateway_V1_VariantLineage).self) { group in
      for (index, variant) in found.variants.enumerated() {
        group.addTask { (index, try await self.variant(variant, views: views)) }
      }
      var all: [(Int, Mlops_Gateway_V1_VariantLineage)] = []
      for try await part in group { all.append(part) }
      return all.sorted { $0.0 < $1.0 }.map(\.1)
    }
    let watching = try await monitors
    return .with {
      $0.deployment = deployment
      $0.variants = variants
      $0.monitors = watching
    }
  }

  /// One variant: the version it serves now, and the run that produced it.
  func variant(_ v: Mlops_Serving_V1_Variant, views: [String]) async throws -> Mlops_Gateway_V1_VariantLineage {
    let registry = Mlops_Registry_V1_RegistryService.Client(wrapping: facts.registry.client)
    let options = facts.options
    let number: Int64 = v.resolvedVersion > 0 ? v.resolvedVersion : (v.model.version)
    var lineage = Mlops_Gateway_V1_VariantLineage.with {
      $0.variant = v.name
      $0.role = [.primary: "primary", .canary: "canary", .shadow: "shadow"][v.role] ?? "primary"
      $0.modelName = v.model.modelName
      $0.modelVersion = number
      $0.featureViews = views
    }
    guard number > 0,
      let version = try await facts.ask(
        facts.registry,
        {
          try await registry.getModelVersion(
            .with {
              $0.name = v.model.modelName
              $0.version = number
            }, options: options
          ).modelVersion
        })
    else { return lineage }
    lineage.stage = PeerFacts.stage(version.stage)
    lineage.contentDigest = version.contentDigest
    lineage.runID = version.runID
    guard !version.runID.isEmpty else { return lineage }
    let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: facts.tracker.client)
    guard
      let run = try await facts.ask(facts.tracker, { try await tracker.getRun(.with { $0.runID = version.runID }, options: options).run })
    else {
      return lineage
    }
    lineage.experimentID = run.info.experimentID
    lineage.runMetrics = Dictionary(run.data.metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    lineage.runParams = Dictionary(run.data.params.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    lineage.datasets = run.inputs.map { input in
      .with {
        $0.name = input.dataset.name
        $0.digest = input.dataset.digest
        $0.source = input.dataset.source
        $0.context = input.context
      }
    }
    return lineage
  }

  /// Every monitor watching the deployment: its reference, open alerts and newest report.
  func monitorStatus(_ deployment: String) async throws -> [Mlops_Gateway_V1_MonitorStatus] {
    let monitor = Mlops_Monitor_V1_MonitorService.Client(wrapping: facts.monitor.client)
    let options = facts.options
    let monitors =
      try await facts.ask(facts.monitor) {
        try await monitor.listMonitors(
          .with {
            $0.deployment = deployment
            $0.page.pageSize = 1000
          }, options: options
        ).monitors
      } ?? []
    var statuses: [Mlops_Gateway_V1_MonitorStatus] = []
    for watching in monitors {
      let open =
        try await facts.ask(facts.monitor) {
          try await monitor.listAlerts(
            .with {
              $0.monitor = watching.name
              $0.states = [.open]
              $0.page.pageSize = 1000
            }, options: options
          ).alerts.count
        } ?? 0
      let last =
        try await facts.ask(facts.monitor) {
          try await monitor.listDriftReports(
            .with {
              $0.monitor = watching.name
              $0.page.pageSize = 1
            }, options: options
          ).reports.first
        } ?? nil
      statuses.append(
        .with {
          $0.monitor = watching.name
          $0.hasReference_p = watching.hasReference_p
          $0.openAlerts = Int64(open)
          if let last {
            $0.lastDatasetDrift = last.datasetDrift
            $0.lastReportTime = last.computedTime
          }
        })
    }
    return statuses
  }
}
