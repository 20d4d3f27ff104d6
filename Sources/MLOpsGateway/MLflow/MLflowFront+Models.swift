import GRPCCore
import Hummingbird
import MLOpsProto

/// MLflow's registered-model endpoints on the registry's model RPCs.
extension MLflowFront {
  typealias Registry = Mlops_Registry_V1_RegistryService.Method

  struct ModelAnswer: Encodable, Sendable { let registeredModel: MLflowRegistryEntities.RegisteredModel }
  struct ModelPage: Encodable, Sendable {
    let registeredModels: [MLflowRegistryEntities.RegisteredModel]
    let nextPageToken: String?
  }
  struct VersionList: Encodable, Sendable { let modelVersions: [MLflowRegistryEntities.ModelVersion] }

  func addModelRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/registered-models/create", rpc: Registry.CreateRegisteredModel.descriptor) { call in
      let created = try await registryClient.createRegisteredModel(
        .with {
          $0.name = try call.params.required("name")
          $0.description_p = try call.params.string("description")
          $0.tags = try Self.tags(call.params, "tags")
        }, metadata: call.metadata, options: call.options)
      return ModelAnswer(registeredModel: MLflowRegistryEntities.model(created.registeredModel))
    }
    endpoint(router, [.get], "/registered-models/get", rpc: Registry.GetRegisteredModel.descriptor) { call in
      ModelAnswer(registeredModel: MLflowRegistryEntities.model(try await registeredModel(call)))
    }
    endpoint(router, [.get, .post], "/registered-models/search", rpc: Registry.SearchRegisteredModels.descriptor) { call in
      let page = try await registryClient.searchRegisteredModels(
        .with {
          $0.filter = try call.params.string("filter")
          $0.orderBy = try call.params.strings("order_by")
          $0.maxResults = Int32(clamping: try call.params.int("max_results") ?? 100)
          $0.pageToken = try call.params.string("page_token")
        }, metadata: call.metadata, options: call.options)
      return ModelPage(
        registeredModels: page.registeredModels.map(MLflowRegistryEntities.model),
        nextPageToken: page.nextPageToken.isEmpty ? nil : page.nextPageToken)
    }
    endpoint(router, [.get, .post], "/registered-models/get-latest-versions", rpc: Registry.GetRegisteredModel.descriptor) { call in
      let stages = try call.params.strings("stages").map(MLflowRegistryEntities.stage(named:))
      let latest = try await registeredModel(call).latestVersions.filter { stages.isEmpty || stages.contains($0.stage) }
      return VersionList(modelVersions: latest.map(MLflowRegistryEntities.version))
    }
    addModelChangeRoutes(to: router)
    addAliasRoutes(to: router)
  }

  private func addModelChangeRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.patch], "/registered-models/update", rpc: Registry.UpdateRegisteredModel.descriptor) { call in
      let updated = try await registryClient.updateRegisteredModel(
        .with {
          $0.name = try call.params.required("name")
          $0.description_p = try call.params.string("description")
        }, metadata: call.metadata, options: call.options)
      return ModelAnswer(registeredModel: MLflowRegistryEntities.model(updated.registeredModel))
    }
    endpoint(router, [.post], "/registered-models/rename", rpc: Registry.RenameRegisteredModel.descriptor) { call in
      let renamed = try await registryClient.renameRegisteredModel(
        .with {
          $0.name = try call.params.required("name")
          $0.newName = try call.params.required("new_name")
        }, metadata: call.metadata, options: call.options)
      return ModelAnswer(registeredModel: MLflowRegistryEntities.model(renamed.registeredModel))
    }
    // The registry's safety rule holds here too (MLflow itself would delete at once): a model
    // with an alias or a Production version is INVALID_STATE until they are moved away.
    endpoint(router, [.delete], "/registered-models/delete", rpc: Registry.DeleteRegisteredModel.descriptor) { call in
      _ = try await registryClient.deleteRegisteredModel(
        .with {
          $0.name = try call.params.required("name")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.delete], "/registered-models/delete-tag", rpc: Registry.DeleteRegisteredModelTag.descriptor) { call in
      _ = try await registryClient.deleteRegisteredModelTag(
        .with {
          $0.name = try call.params.required("name")
          $0.key = try call.params.required("key")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/registered-models/set-tag", rpc: Registry.SetRegisteredModelTag.descriptor) { call in
      _ = try await registryClient.setRegisteredModelTag(
        .with {
          $0.name = try call.params.required("name")
          $0.key = try call.params.required("key")
          $0.value = try call.params.string("value")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
  }

  private func addAliasRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/registered-models/alias", rpc: Registry.SetAlias.descriptor) { call in
      let request = try Mlops_Registry_V1_SetAliasRequest.with {
        $0.name = try call.params.required("name")
        $0.alias = try call.params.required("alias")
        $0.version = try Self.version(call.params)
      }
      try await checkPolicy(Registry.SetAlias.descriptor, request, call)
      _ = try await registryClient.setAlias(request, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.delete], "/registered-models/alias", rpc: Registry.DeleteAlias.descriptor) { call in
      _ = try await registryClient.deleteAlias(
        .with {
          $0.name = try call.params.required("name")
          $0.alias = try call.params.required("alias")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.get], "/registered-models/alias", rpc: Registry.GetModelVersionByAlias.descriptor) { call in
      let found = try await registryClient.getModelVersionByAlias(
        .with {
          $0.name = try call.params.required("name")
          $0.alias = try call.params.required("alias")
        }, metadata: call.metadata, options: call.options)
      return VersionAnswer(modelVersion: MLflowRegistryEntities.version(found.modelVersion))
    }
  }

  private func registeredModel(_ call: Call) async throws -> Mlops_Registry_V1_RegisteredModel {
    try await registryClient.getRegisteredModel(
      .with { $0.name = try call.params.required("name") }, metadata: call.metadata, options: call.options
    ).registeredModel
  }

  /// `version` as MLflow sends it (a decimal string). - Throws: INVALID_PARAMETER_VALUE.
  static func version(_ params: MLflowParams) throws -> Int64 {
    guard let version = try params.int("version") else {
      throw MLflowError.invalidParameter("missing value for required parameter 'version'")
    }
    return version
  }
}
