import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// Aliases, stages, reviews, artifacts, audit and events on the wire.
extension RegistryService {
  static let lifecycleMethods: [MethodDescriptor] = [
    Methods.SetAlias.descriptor, Methods.DeleteAlias.descriptor, Methods.GetModelVersionByAlias.descriptor,
    Methods.TransitionStage.descriptor, Methods.ReviewModelVersion.descriptor,
  ]
  static let artifactMethods: [MethodDescriptor] = [Methods.UploadModelArtifact.descriptor, Methods.DownloadModelArtifact.descriptor]
  static let auditMethods: [MethodDescriptor] = [Methods.ListAuditEvents.descriptor, Methods.WatchModelEvents.descriptor]

  func registerLifecycleMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnaryWithMetadata(Methods.SetAlias.self) { (r: Mlops_Registry_V1_SetAliasRequest, metadata, _) in
      try await engine.setAlias(name: r.name, alias: r.alias, version: r.version, actor: metadata.actor)
      return Mlops_Registry_V1_SetAliasResponse()
    }
    router.registerUnaryWithMetadata(Methods.DeleteAlias.self) { (r: Mlops_Registry_V1_DeleteAliasRequest, metadata, _) in
      try await engine.deleteAlias(name: r.name, alias: r.alias, actor: metadata.actor)
      return Mlops_Registry_V1_DeleteAliasResponse()
    }
    router.registerUnary(Methods.GetModelVersionByAlias.self) { (r: Mlops_Registry_V1_GetModelVersionByAliasRequest, _) in
      let version = try await engine.version(name: r.name, alias: r.alias)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerUnaryWithMetadata(Methods.TransitionStage.self) { (r: Mlops_Registry_V1_TransitionStageRequest, metadata, _) in
      guard let stage = Stage(rawValue: r.stage.rawValue) else {
        throw RegistryError.invalidArgument(field: "stage", reason: "must be NONE, STAGING, PRODUCTION or ARCHIVED")
      }
      let version = try await engine.transition(
        name: r.name, version: r.version, to: stage, archiveExisting: r.archiveExistingVersions, actor: metadata.actor)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerUnaryWithMetadata(Methods.ReviewModelVersion.self) { (r: Mlops_Registry_V1_ReviewModelVersionRequest, metadata, _) in
      let decision: ReviewDecision? =
        switch r.decision {
        case .approve: .approve
        case .reject: .reject
        default: nil
        }
      let version = try await engine.review(
        name: r.name, version: r.version, decision: decision, comment: r.comment, actor: metadata.actor)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
  }

  func registerArtifactMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerClientStreaming(Methods.UploadModelArtifact.self) {
      (messages: RPCAsyncSequence<Mlops_Registry_V1_UploadModelArtifactRequest, any Error>, metadata, _) in
      let (header, chunks) = try await UploadStream.open(messages) { (message: Mlops_Registry_V1_UploadModelArtifactRequest) in
        switch message.part {
        case .header(let header): UploadStream.Part.header(header)
        case .chunk(let data): .chunk(data)
        case nil: .empty
        }
      }
      let version = try await engine.uploadArtifact(
        name: header.name, version: header.version, expectedSHA256: header.expectedSha256, declaredSize: header.sizeBytes,
        chunks: chunks, actor: metadata.actor)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerServerStreaming(Methods.DownloadModelArtifact.self) {
      (r: Mlops_Registry_V1_DownloadModelArtifactRequest, writer: RPCWriter<Mlops_Registry_V1_DownloadModelArtifactResponse>, _) in
      let (details, blob) = try await engine.downloadArtifact(name: r.name, version: r.version)
      try await writer.write(
        .with {
          $0.header = .with {
            $0.name = details.modelName
            $0.version = details.record.version
            $0.expectedSha256 = details.record.contentDigest
            $0.sizeBytes = details.record.sizeBytes
          }
        })
      for try await chunk in blob.chunks() { try await writer.write(.with { $0.chunk = chunk }) }
    }
  }

  func registerAuditMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.ListAuditEvents.self) { (r: Mlops_Registry_V1_ListAuditEventsRequest, _) in
      let filter = AuditFilter(
        modelName: r.modelName, version: r.version, actor: r.actor,
        start: r.hasStartTime ? try r.startTime.milliseconds { RegistryError.invalidArgument(field: "start_time", reason: $0) } : nil,
        end: r.hasEndTime ? try r.endTime.milliseconds { RegistryError.invalidArgument(field: "end_time", reason: $0) } : nil)
      let page = try await engine.auditEvents(filter, pageSize: Int(r.page.pageSize), pageToken: r.page.pageToken)
      return Mlops_Registry_V1_ListAuditEventsResponse.with {
        $0.events = page.events.map(Mlops_Registry_V1_AuditEvent.init)
        $0.nextPageToken = page.next
      }
    }
    router.registerServerStreaming(Methods.WatchModelEvents.self) {
      (r: Mlops_Registry_V1_WatchModelEventsRequest, writer: RPCWriter<Mlops_Registry_V1_ModelEvent>, _) in
      try await engine.watchEvents(modelName: r.modelName, after: r.afterSequence) { event in
        try await writer.write(.init(event))
      }
    }
  }
}
