import GRPCCore
import Hummingbird
import MLOpsProto

/// MLflow's model-version endpoints on the registry's version RPCs. A version created through
/// MLflow names an MLflow model in a run's artifacts (`runs:/<run_id>/<path>`); the registry
/// keeps it as format "mlflow", ready at once, and `get-download-uri` gives its files back.
extension MLflowFront {
  struct VersionAnswer: Encodable, Sendable { let modelVersion: MLflowRegistryEntities.ModelVersion }
  struct VersionPage: Encodable, Sendable {
    let modelVersions: [MLflowRegistryEntities.ModelVersion]
    let nextPageToken: String?
  }
  struct DownloadURI: Encodable, Sendable { let artifactUri: String }

  func addVersionRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.post], "/model-versions/create", rpc: Registry.CreateModelVersion.descriptor) { call in
      let source = try call.params.required("source")
      var run = try call.params.string("run_id")
      if let model = Self.loggedModelID(of: source) {
        // MLflow 3 registers a logged model by its models:/<model_id> URI: its run is the model's.
        run = try await trackerClient.getLoggedModel(.with { $0.modelID = model }, metadata: call.metadata, options: call.options).model
          .sourceRunID
      } else {
        run = try Self.sourceRun(source, given: run)
      }
      let created = try await registryClient.createModelVersion(
        .with {
          $0.name = try call.params.required("name")
          $0.runID = run
          $0.format = "mlflow"
          $0.source = source
          $0.description_p = try call.params.string("description")
          $0.tags = try Self.tags(call.params, "tags")
        }, metadata: call.metadata, options: call.options)
      return VersionAnswer(modelVersion: MLflowRegistryEntities.version(created.modelVersion))
    }
    endpoint(router, [.get], "/model-versions/get", rpc: Registry.GetModelVersion.descriptor) { call in
      VersionAnswer(modelVersion: MLflowRegistryEntities.version(try await modelVersion(call)))
    }
    endpoint(router, [.get, .post], "/model-versions/search", rpc: Registry.SearchModelVersions.descriptor) { call in
      try await searchVersions(call)
    }
    endpoint(router, [.get], "/model-versions/get-download-uri", rpc: Registry.GetModelVersion.descriptor) { call in
      let version = try await modelVersion(call)
      guard let uri = Self.artifactURI(source: version.source) else {
        throw MLflowError(
          "INVALID_PARAMETER_VALUE",
          "\(version.name) version \(version.version) has format '\(version.format)'; its files come from the registry's DownloadModelArtifact, not MLflow",
          status: 400)
      }
      return DownloadURI(artifactUri: uri)
    }
    addVersionChangeRoutes(to: router)
  }

  private func addVersionChangeRoutes(to router: Router<BasicRequestContext>) {
    endpoint(router, [.patch], "/model-versions/update", rpc: Registry.UpdateModelVersion.descriptor) { call in
      let updated = try await registryClient.updateModelVersion(
        .with {
          $0.name = try call.params.required("name")
          $0.version = try Self.version(call.params)
          $0.description_p = try call.params.string("description")
        }, metadata: call.metadata, options: call.options)
      return VersionAnswer(modelVersion: MLflowRegistryEntities.version(updated.modelVersion))
    }
    endpoint(router, [.post], "/model-versions/transition-stage", rpc: Registry.TransitionStage.descriptor) { call in
      let request = try Mlops_Registry_V1_TransitionStageRequest.with {
        $0.name = try call.params.required("name")
        $0.version = try Self.version(call.params)
        $0.stage = try MLflowRegistryEntities.stage(named: try call.params.required("stage"))
        $0.archiveExistingVersions = try call.params.bool("archive_existing_versions")
      }
      try await checkPolicy(Registry.TransitionStage.descriptor, request, call)
      let moved = try await registryClient.transitionStage(request, metadata: call.metadata, options: call.options)
      return VersionAnswer(modelVersion: MLflowRegistryEntities.version(moved.modelVersion))
    }
    endpoint(router, [.delete], "/model-versions/delete", rpc: Registry.DeleteModelVersion.descriptor) { call in
      _ = try await registryClient.deleteModelVersion(
        .with {
          $0.name = try call.params.required("name")
          $0.version = try Self.version(call.params)
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.delete], "/model-versions/delete-tag", rpc: Registry.DeleteModelVersionTag.descriptor) { call in
      _ = try await registryClient.deleteModelVersionTag(
        .with {
          $0.name = try call.params.required("name")
          $0.version = try Self.version(call.params)
          $0.key = try call.params.required("key")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
    endpoint(router, [.post], "/model-versions/set-tag", rpc: Registry.SetModelVersionTag.descriptor) { call in
      _ = try await registryClient.setModelVersionTag(
        .with {
          $0.name = try call.params.required("name")
          $0.version = try Self.version(call.params)
          $0.key = try call.params.required("key")
          $0.value = try call.params.string("value")
        }, metadata: call.metadata, options: call.options)
      return MLflowEmpty()
    }
  }

  /// MLflow's client asks for up to 10,000 versions a page; the registry pages by 1,000 at
  /// most, so its pages are followed until the asked number is reached or none are left.
  private func searchVersions(_ call: Call) async throws -> VersionPage {
    let wanted = try call.params.int("max_results") ?? 10_000
    guard wanted > 0 else { throw MLflowError.invalidParameter("'max_results' must be positive, not \(wanted)") }
    var versions: [Mlops_Registry_V1_ModelVersion] = []
    var token = try call.params.string("page_token")
    repeat {
      let page = try await registryClient.searchModelVersions(
        .with {
          $0.filter = try call.params.string("filter")
          $0.orderBy = try call.params.strings("order_by")
          $0.maxResults = Int32(clamping: min(wanted - Int64(versions.count), 1000))
          $0.pageToken = token
        }, metadata: call.metadata, options: call.options)
      versions += page.modelVersions
      token = page.nextPageToken
    } while !token.isEmpty && versions.count < wanted
    return VersionPage(modelVersions: versions.map(MLflowRegistryEntities.version), nextPageToken: token.isEmpty ? nil : token)
  }

  private func modelVersion(_ call: Call) async throws -> Mlops_Registry_V1_ModelVersion {
    try await registryClient.getModelVersion(
      .with {
        $0.name = try call.params.required("name")
        $0.version = try Self.version(call.params)
      }, metadata: call.metadata, options: call.options
    ).modelVersion
  }

  /// The run an MLflow model source lives in: `runs:/<id>/…` or this front's
  /// `mlflow-artifacts:/runs/<id>/…`; `given` (MLflow's `run_id`) must agree when both name one.
  static func sourceRun(_ source: String, given: String) throws -> String {
    let parsed = runPath(of: source)?.run
    guard let run = parsed ?? (given.isEmpty ? nil : given) else {
      throw MLflowError.invalidParameter("'source' must be runs:/<run_id>/<path> (or run_id given): '\(source)' names no run")
    }
    if !given.isEmpty, given != run {
      throw MLflowError.invalidParameter("'run_id' \(given) differs from the run of 'source' \(source)")
    }
    return run
  }

  /// The model id of a `models:/m-…` source (MLflow 3's logged model); nil for others.
  static func loggedModelID(of source: String) -> String? {
    guard source.hasPrefix("models:/m-") else { return nil }
    let id = source.dropFirst("models:/".count).split(separator: "/").first.map(String.init) ?? ""
    return id.isEmpty ? nil : id
  }

  /// The proxied artifact URI of a `runs:/`, `mlflow-artifacts:/runs/` or `models:/m-…`
  /// source; nil otherwise.
  static func artifactURI(source: String) -> String? {
    if let model = loggedModelID(of: source) { return "mlflow-artifacts:/models/\(model)" }
    guard let (run, path) = runPath(of: source) else { return nil }
    return path.isEmpty ? artifactURI(run: run) : artifactURI(run: run) + "/" + path
  }

  private static func runPath(of source: String) -> (run: String, path: String)? {
    let rest: Substring
    if source.hasPrefix("runs:/") {
      rest = source.dropFirst("runs:/".count)
    } else if source.hasPrefix("mlflow-artifacts:/runs/") {
      rest = source.dropFirst("mlflow-artifacts:/runs/".count)
    } else {
      return nil
    }
    let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
    guard let run = parts.first else { return nil }
    return (String(run), parts.dropFirst().joined(separator: "/"))
  }
}
