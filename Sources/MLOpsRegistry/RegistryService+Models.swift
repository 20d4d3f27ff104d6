import GRPCCore
import MLOpsCore
import MLOpsProto

/// Registered models and versions on the wire.
extension RegistryService {
  static let modelMethods: [MethodDescriptor] = [
    Methods.CreateRegisteredModel.descriptor, Methods.GetRegisteredModel.descriptor,
    Methods.UpdateRegisteredModel.descriptor, Methods.SetRegisteredModelTag.descriptor, Methods.DeleteRegisteredModelTag.descriptor,
    Methods.RenameRegisteredModel.descriptor, Methods.DeleteRegisteredModel.descriptor, Methods.SearchRegisteredModels.descriptor,
  ]
  static let versionMethods: [MethodDescriptor] = [
    Methods.CreateModelVersion.descriptor, Methods.GetModelVersion.descriptor,
    Methods.UpdateModelVersion.descriptor, Methods.SetModelVersionTag.descriptor, Methods.DeleteModelVersionTag.descriptor,
    Methods.DeleteModelVersion.descriptor,
    Methods.SearchModelVersions.descriptor,
  ]

  func registerModelMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnaryWithMetadata(Methods.CreateRegisteredModel.self) {
      (r: Mlops_Registry_V1_CreateRegisteredModelRequest, metadata, _) in
      let model = try await engine.createModel(
        name: r.name, description: r.description_p, tags: r.tags.map { ($0.key, $0.value) }, actor: metadata.actor)
      return Mlops_Registry_V1_RegisteredModelResponse.with { $0.registeredModel = .init(model) }
    }
    router.registerUnary(Methods.GetRegisteredModel.self) { (r: Mlops_Registry_V1_GetRegisteredModelRequest, _) in
      let model = try await engine.model(name: r.name)
      return Mlops_Registry_V1_RegisteredModelResponse.with { $0.registeredModel = .init(model) }
    }
    router.registerUnaryWithMetadata(Methods.UpdateRegisteredModel.self) {
      (r: Mlops_Registry_V1_UpdateRegisteredModelRequest, metadata, _) in
      let model = try await engine.updateModel(name: r.name, description: r.description_p, actor: metadata.actor)
      return Mlops_Registry_V1_RegisteredModelResponse.with { $0.registeredModel = .init(model) }
    }
    router.registerUnaryWithMetadata(Methods.SetRegisteredModelTag.self) {
      (r: Mlops_Registry_V1_SetRegisteredModelTagRequest, metadata, _) in
      try await engine.setModelTag(name: r.name, key: r.key, value: r.value, actor: metadata.actor)
      return Mlops_Registry_V1_SetRegisteredModelTagResponse()
    }
    router.registerUnaryWithMetadata(Methods.DeleteRegisteredModelTag.self) {
      (r: Mlops_Registry_V1_DeleteRegisteredModelTagRequest, metadata, _) in
      try await engine.deleteModelTag(name: r.name, key: r.key, actor: metadata.actor)
      return Mlops_Registry_V1_DeleteRegisteredModelTagResponse()
    }
    router.registerUnary(Methods.SearchRegisteredModels.self) { (r: Mlops_Registry_V1_SearchRegisteredModelsRequest, _) in
      let (models, next) = try await engine.searchModels(
        filter: r.filter, orderBy: r.orderBy, maxResults: Int(r.maxResults), pageToken: r.pageToken)
      return Mlops_Registry_V1_SearchRegisteredModelsResponse.with {
        $0.registeredModels = models.map(Mlops_Registry_V1_RegisteredModel.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnaryWithMetadata(Methods.RenameRegisteredModel.self) {
      (r: Mlops_Registry_V1_RenameRegisteredModelRequest, metadata, _) in
      let model = try await engine.renameModel(name: r.name, newName: r.newName, actor: metadata.actor)
      return Mlops_Registry_V1_RegisteredModelResponse.with { $0.registeredModel = .init(model) }
    }
    router.registerUnaryWithMetadata(Methods.DeleteRegisteredModel.self) {
      (r: Mlops_Registry_V1_DeleteRegisteredModelRequest, metadata, _) in
      try await engine.deleteModel(name: r.name, force: r.force, actor: metadata.actor)
      return Mlops_Registry_V1_DeleteRegisteredModelResponse()
    }
  }

  func registerVersionMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnaryWithMetadata(Methods.CreateModelVersion.self) {
      (r: Mlops_Registry_V1_CreateModelVersionRequest, metadata, _) in
      let new = RegistryEngine.NewVersion(
        runID: r.runID, format: r.format, signature: Signature(r.signature), description: r.description_p,
        tags: r.tags.map { ($0.key, $0.value) }, remoteEndpoint: r.remoteEndpoint, source: r.source)
      let version = try await engine.createVersion(name: r.name, new, actor: metadata.actor)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerUnary(Methods.GetModelVersion.self) { (r: Mlops_Registry_V1_GetModelVersionRequest, _) in
      let version = try await engine.version(name: r.name, version: r.version)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerUnaryWithMetadata(Methods.UpdateModelVersion.self) {
      (r: Mlops_Registry_V1_UpdateModelVersionRequest, metadata, _) in
      let version = try await engine.updateVersion(
        name: r.name, version: r.version, description: r.description_p, actor: metadata.actor)
      return Mlops_Registry_V1_ModelVersionResponse.with { $0.modelVersion = .init(version) }
    }
    router.registerUnaryWithMetadata(Methods.SetModelVersionTag.self) {
      (r: Mlops_Registry_V1_SetModelVersionTagRequest, metadata, _) in
      try await engine.setVersionTag(name: r.name, version: r.version, key: r.key, value: r.value, actor: metadata.actor)
      return Mlops_Registry_V1_SetModelVersionTagResponse()
    }
    router.registerUnaryWithMetadata(Methods.DeleteModelVersionTag.self) {
      (r: Mlops_Registry_V1_DeleteModelVersionTagRequest, metadata, _) in
      try await engine.deleteVersionTag(name: r.name, version: r.version, key: r.key, actor: metadata.actor)
      return Mlops_Registry_V1_DeleteModelVersionTagResponse()
    }
    router.registerUnary(Methods.SearchModelVersions.self) { (r: Mlops_Registry_V1_SearchModelVersionsRequest, _) in
      let (versions, next) = try await engine.searchVersions(
        filter: r.filter, orderBy: r.orderBy, maxResults: Int(r.maxResults), pageToken: r.pageToken)
      return Mlops_Registry_V1_SearchModelVersionsResponse.with {
        $0.modelVersions = versions.map(Mlops_Registry_V1_ModelVersion.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnaryWithMetadata(Methods.DeleteModelVersion.self) {
      (r: Mlops_Registry_V1_DeleteModelVersionRequest, metadata, _) in
      try await engine.deleteVersion(name: r.name, version: r.version, actor: metadata.actor)
      return Mlops_Registry_V1_DeleteModelVersionResponse()
    }
  }
}
