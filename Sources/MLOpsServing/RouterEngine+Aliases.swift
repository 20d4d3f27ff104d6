import MLOpsRuntime

/// Alias following: when an alias a variant follows names another version, that version is
/// loaded first, then takes over — at once under SINGLE and A/B (in-flight predictions finish
/// on the version that started them), or as the canary of a new rollout when the variant is
/// a CANARY deployment's primary.
extension RouterEngine {
  /// Brings every variant that follows `alias` of `model` (every alias, when nil) to the
  /// version the alias names now. An alias that no longer exists leaves the variant serving.
  public func followAliases(model: String? = nil, alias: String? = nil) async {
    let deployments = live.withLock { Array($0.values) }
    for deployment in deployments {
      for (index, variant) in deployment.definition.variants.enumerated() {
        guard let followed = variant.model.alias, variant.role != .canary else { continue }
        if let model, model != variant.model.modelName || alias != followed { continue }
        do {
          let resolved = try await cache.source.resolve(variant.model, field: "deployment.variants[\(index)].model")
          guard resolved.version != variant.resolvedVersion else { continue }
          let model = try await cache.model(for: resolved, field: "deployment.variants[\(index)].model")
          try await moveAlias(deployment.definition.name, variant: variant.name, to: resolved, model: model)
          logger.notice(
            "alias moved",
            metadata: [
              "deployment": "\(deployment.definition.name)", "variant": "\(variant.name)", "version": "\(resolved.version)",
            ])
        } catch {
          logger.warning(
            "cannot follow alias",
            metadata: [
              "deployment": "\(deployment.definition.name)", "variant": "\(variant.name)", "error": "\(error)",
            ])
        }
      }
    }
  }

  private func moveAlias(_ name: String, variant: String, to resolved: ResolvedModel, model: any Predictor) async throws {
    try await decisions.withLock {
      guard let current = self.live.withLock({ $0[name] }),
        let stored = current.definition.variants.first(where: { $0.name == variant }), stored.resolvedVersion != resolved.version
      else { return }
      let asCanary = current.definition.strategy == .canary && stored.role == .primary && current.definition.canary != nil
      let next = try await self.store.replace(name, expected: current.definition.generation) { definition in
        var next = definition
        if asCanary {
          next.variants.removeAll { $0.role == .canary }
          next.variants.append(
            .init(
              name: "\(variant)-next", model: .init(modelName: stored.model.modelName, version: resolved.version), role: .canary, weight: 0,
              resolvedVersion: resolved.version, resolvedDigest: resolved.digest))
        } else if let index = next.variants.firstIndex(where: { $0.name == variant }) {
          next.variants[index].resolvedVersion = resolved.version
          next.variants[index].resolvedDigest = resolved.digest
        }
        next.updatedTime = max(self.clock(), definition.createdTime)
        return next
      }
      var variants = (current.variants + current.shadows).filter { !(asCanary && $0.role == .canary) }
      let loaded = LiveDeployment.Variant(
        name: asCanary ? "\(variant)-next" : variant, role: asCanary ? .canary : stored.role, model: model, resolved: resolved)
      if asCanary {
        variants.append(loaded)
      } else if let index = variants.firstIndex(where: { $0.name == variant }) {
        variants[index] = loaded
      }
      try await self.begin(
        LiveDeployment(definition: next, variants: variants, rollout: .stable(next), cache: self.responseCache(for: next)))
    }
  }
}
