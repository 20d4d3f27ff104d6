import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Domain ⇄ protobuf for runs.
extension Mlops_Tracker_V1_Run {
  init(_ run: Run) {
    self.init()
    info = .init(run.info)
    data = .with {
      // KeyedValues are in key order already.
      $0.metrics = run.metrics.map { Mlops_Tracker_V1_Metric($0.value) }
      $0.params = run.params.map { p in
        .with {
          $0.key = p.key
          $0.value = p.value
        }
      }
      $0.tags = run.tags.map { t in
        .with {
          $0.key = t.key
          $0.value = t.value
        }
      }
    }
    inputs = run.inputs.map { input in
      .with {
        $0.dataset = .with {
          $0.name = input.name
          $0.digest = input.digest
          $0.sourceType = input.sourceType
          $0.source = input.source
          $0.schema = input.schema
          $0.profile = input.profile
        }
        $0.context = input.context
        $0.tags = Mlops_Common_V1_Tag.inKeyOrder(input.tags)
      }
    }
    source = .with {
      $0.repository = run.source.repository
      $0.commit = run.source.commit
      $0.entryPoint = run.source.entryPoint
      $0.sourceType = run.source.sourceType
    }
    environment = .with {
      $0.runtime = run.environment.runtime
      $0.packagesDigest = run.environment.packagesDigest
      $0.packages = run.environment.packages
      $0.platform = run.environment.platform
    }
  }
}

extension Mlops_Tracker_V1_RunInfo {
  init(_ info: RunInfo) {
    self.init()
    runID = info.id
    experimentID = String(info.experimentID)
    runName = info.name
    status = Mlops_Tracker_V1_RunStatus(rawValue: info.status.rawValue) ?? .running
    startTime = .init(milliseconds: info.startTime)
    if let end = info.endTime { endTime = .init(milliseconds: end) }
    lifecycleStage = info.lifecycle == .active ? .active : .deleted
    artifactUri = info.artifactURI
    userID = info.userID
  }
}

extension Mlops_Tracker_V1_Metric {
  init(_ metric: Metric) {
    self.init()
    key = metric.key
    value = metric.value
    timestamp = .init(milliseconds: metric.timestamp)
    step = metric.step
  }
}

extension RunStatus {
  /// nil for UNSPECIFIED (nothing to change); an unknown number is INVALID_ARGUMENT.
  init?(wire: Mlops_Tracker_V1_RunStatus) throws {
    if wire == .unspecified { return nil }
    guard let status = RunStatus(rawValue: wire.rawValue) else {
      throw TrackerError.invalidArgument(field: "status", reason: "\(wire.rawValue) is not a run status")
    }
    self = status
  }
}

extension RunSource {
  init(_ s: Mlops_Tracker_V1_RunSource) {
    self.init(repository: s.repository, commit: s.commit, entryPoint: s.entryPoint, sourceType: s.sourceType)
  }
}

extension RunEnvironment {
  init(_ e: Mlops_Tracker_V1_RunEnvironment) {
    self.init(runtime: e.runtime, packagesDigest: e.packagesDigest, packages: e.packages, platform: e.platform)
  }
}

extension DatasetInput {
  init(_ d: Mlops_Tracker_V1_DatasetInput) {
    self.init(
      name: d.dataset.name, digest: d.dataset.digest, sourceType: d.dataset.sourceType, source: d.dataset.source,
      schema: d.dataset.schema, profile: d.dataset.profile, context: d.context,
      tags: Dictionary(d.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }))
  }
}
