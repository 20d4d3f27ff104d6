import Foundation
import MLOpsCore
import MLOpsRuntime

/// Loading a deployment's models: resolved with the registry, from the disk cache or
/// downloaded, or described by a remote backend.
extension RouterEngine {
  /// Resolves each serving variant's selector (aliases to numbers) and loads its model.
  /// With `resolving` false the stored resolved versions are loaded as they are, from the
  /// disk cache when it has them (a restart serves what was serving, whatever an alias says
  /// now, and without the registry).
  func load(_ definition: DeploymentDefinition, field: String, resolving: Bool = true) async throws
    -> (definition: DeploymentDefinition, variants: [LiveDeployment.Variant])
  {
    var definition = definition
    var loaded: [LiveDeployment.Variant] = []
    for index in definition.variants.indices {
      let variant = definition.variants[index]
      let at = "\(field).variants[\(index)]"
      if !variant.remoteEndpoint.isEmpty {
        let remote = try await RemotePredictor.load(
          endpoint: variant.remoteEndpoint, modelName: variant.model.modelName, version: variant.model.version, backends: remotes,
          field: at)
        let resolved = ResolvedModel(name: variant.model.modelName, version: variant.model.version ?? 0, digest: "")
        definition.variants[index].resolvedVersion = resolved.version
        loaded.append(.init(name: variant.name, role: variant.role, model: remote, resolved: resolved))
        continue
      }
      let resolved: ResolvedModel
      if !resolving, variant.resolvedVersion > 0, !variant.resolvedDigest.isEmpty {
        resolved = ResolvedModel(name: variant.model.modelName, version: variant.resolvedVersion, digest: variant.resolvedDigest)
      } else {
        resolved = try await cache.source.resolve(variant.model, field: "\(at).model")
      }
      let started = ContinuousClock.now
      let model = try await cache.model(for: resolved, field: "\(at).model")
      metrics.loaded(seconds: ContinuousClock.now - started)
      definition.variants[index].resolvedVersion = resolved.version
      definition.variants[index].resolvedDigest = resolved.digest
      loaded.append(.init(name: variant.name, role: variant.role, model: model, resolved: resolved))
    }
    return (definition, loaded)
  }
}
