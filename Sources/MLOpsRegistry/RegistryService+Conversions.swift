import MLOpsCore
import MLOpsProto
import SwiftProtobuf

extension Signature {
  init(_ wire: Mlops_Registry_V1_ModelSignature) {
    func columns(_ list: [Mlops_Common_V1_ColumnSchema]) -> [SignatureColumn] {
      list.map {
        SignatureColumn(name: $0.name, type: $0.type.rawValue, shape: $0.shape, nullable: $0.nullable, description: $0.description_p)
      }
    }
    self.init(inputs: columns(wire.inputs), outputs: columns(wire.outputs))
  }
}

extension Mlops_Registry_V1_ModelSignature {
  init(_ signature: Signature) {
    func columns(_ list: [SignatureColumn]) -> [Mlops_Common_V1_ColumnSchema] {
      list.map { c in
        .with {
          $0.name = c.name
          $0.type = Mlops_Common_V1_ValueType(rawValue: c.type) ?? .unspecified
          $0.shape = c.shape
          $0.nullable = c.nullable
          $0.description_p = c.description
        }
      }
    }
    self.init()
    inputs = columns(signature.inputs)
    outputs = columns(signature.outputs)
  }
}

extension Mlops_Registry_V1_ModelVersion {
  init(_ details: VersionDetails) {
    let v = details.record
    self.init()
    name = details.modelName
    version = v.version
    creationTime = .init(milliseconds: v.creationTime)
    lastUpdatedTime = .init(milliseconds: v.lastUpdatedTime)
    description_p = v.description
    runID = v.runID
    format = v.format
    stage = Mlops_Registry_V1_Stage(rawValue: v.stage.rawValue) ?? .none
    status = Mlops_Registry_V1_ModelVersionStatus(rawValue: v.status.rawValue) ?? .unspecified
    statusMessage = v.statusMessage
    contentDigest = v.contentDigest
    sizeBytes = v.sizeBytes
    signature = .init(v.signature)
    tags = Mlops_Common_V1_Tag.inKeyOrder(v.tags)
    aliases = details.aliases
    runMetrics = v.runMetrics
    runParams = v.runParams
    reviewState = Mlops_Registry_V1_ReviewState(rawValue: v.reviewState.rawValue) ?? .pending
    reviews = v.reviews.map { r in
      .with {
        $0.reviewer = r.reviewer
        $0.decision = r.decision == .approve ? .approve : .reject
        $0.comment = r.comment
        $0.time = .init(milliseconds: r.time)
      }
    }
    createdBy = v.createdBy
    remoteEndpoint = v.remoteEndpoint
    source = v.source ?? ""
  }
}

extension Mlops_Registry_V1_RegisteredModel {
  init(_ details: ModelDetails) {
    let m = details.record
    self.init()
    name = m.name
    description_p = m.description
    creationTime = .init(milliseconds: m.creationTime)
    lastUpdatedTime = .init(milliseconds: m.lastUpdatedTime)
    tags = Mlops_Common_V1_Tag.inKeyOrder(m.tags)
    aliases = m.aliases.sorted { $0.key < $1.key }.map { a in
      .with {
        $0.alias = a.key
        $0.version = a.value
      }
    }
    latestVersions = details.latestVersions.map(Mlops_Registry_V1_ModelVersion.init)
  }
}

extension Mlops_Registry_V1_AuditEvent {
  init(_ e: AuditRecord) {
    self.init()
    sequence = e.sequence
    time = .init(milliseconds: e.time)
    actor = e.actor
    action = e.action
    modelName = e.modelName
    version = e.version
    before = e.before
    after = e.after
  }
}

extension Mlops_Registry_V1_ModelEvent {
  init(_ e: AuditRecord) {
    self.init()
    sequence = e.sequence
    time = .init(milliseconds: e.time)
    type = e.eventType.flatMap { Mlops_Registry_V1_ModelEventType(rawValue: $0.rawValue) } ?? .unspecified
    modelName = e.modelName
    version = e.version
    alias = e.alias
    stage = e.stage.flatMap { Mlops_Registry_V1_Stage(rawValue: $0.rawValue) } ?? .none
    actor = e.actor
  }
}
