/// The rules a deployment must follow before anything is loaded or stored.
extension DeploymentDefinition {
  /// Most variants one deployment may have.
  public static let maxVariants = 16

  /// Checks the definition; fills in the strategy when it is implied by one variant.
  /// - Throws: ``ServingError`` naming the first bad field (`deployment.variants[1].weight`).
  public mutating func validate() throws {
    try Self.checkName(name, field: "deployment.name")
    guard description.utf8.count <= 4096 else { throw invalid("deployment.description", "is longer than 4096 bytes") }
    guard !variants.isEmpty else { throw invalid("deployment.variants", "needs at least one variant") }
    guard !serving.isEmpty else { throw invalid("deployment.variants", "needs a variant that is not a shadow to answer requests") }
    guard variants.count <= Self.maxVariants else {
      throw invalid("deployment.variants", "has \(variants.count); at most \(Self.maxVariants)")
    }
    var names: Set<String> = []
    for (index, variant) in variants.enumerated() {
      let field = "deployment.variants[\(index)]"
      try Self.checkName(variant.name, field: "\(field).name")
      guard names.insert(variant.name).inserted else { throw invalid("\(field).name", "'\(variant.name)' is used twice") }
      if variant.remoteEndpoint.isEmpty {
        try Self.checkModel(variant.model, field: "\(field).model")
      } else {
        try Self.checkRemote(variant, field: field)
      }
      guard variant.weight.isFinite, variant.weight >= 0, variant.weight <= 100 else {
        throw invalid("\(field).weight", "must be a percentage between 0 and 100")
      }
      guard variant.mirrorFraction.isFinite, (0...1).contains(variant.mirrorFraction) else {
        throw invalid("\(field).mirror_fraction", "must be a fraction between 0 and 1")
      }
    }
    guard enrichment.count <= 1000 else { throw invalid("deployment.enrichment.features", "has \(enrichment.count); at most 1000") }
    for (index, reference) in enrichment.enumerated() {
      let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, reference.utf8.count <= 512 else {
        throw invalid("deployment.enrichment.features[\(index)]", "'\(reference)' is not a view:feature reference")
      }
    }
    guard monitorSampleRate.isFinite, (0...1).contains(monitorSampleRate) else {
      throw invalid("deployment.monitor_sample_rate", "must be a fraction between 0 and 1")
    }
    guard overrideHeader.isEmpty || Self.isHeaderName(overrideHeader) else {
      throw invalid("deployment.routing.override_header", "'\(overrideHeader)' is not a lower-case header name")
    }
    try checkRouting()
    try checkStrategy()
  }

  /// Most answers one deployment's response cache may hold.
  public static let maxCacheEntries = 1_000_000

  /// The sticky field is a plain name; the cache holds 1…``maxCacheEntries`` answers for a
  /// positive time.
  private func checkRouting() throws {
    if let stickyKey {
      guard !stickyKey.isEmpty, stickyKey.utf8.count <= 256 else {
        throw invalid("deployment.routing.sticky_key", "must be a request field name of 1 to 256 bytes")
      }
    }
    if let cache {
      guard (1...Self.maxCacheEntries).contains(cache.maxEntries) else {
        throw invalid("deployment.cache.max_entries", "must be between 1 and \(Self.maxCacheEntries)")
      }
      guard cache.ttlMilliseconds > 0 else { throw invalid("deployment.cache.ttl", "must be positive") }
    }
  }

  private mutating func checkStrategy() throws {
    switch strategy {
    case .canary: try checkCanary()
    case .single:
      guard serving.count == 1 else {
        throw invalid("deployment.variants", "STRATEGY_SINGLE serves one variant (and any shadows); use STRATEGY_AB to split traffic")
      }
      guard serving[0].role == .primary else {
        throw invalid(
          "deployment.variants[\(variants.firstIndex { $0.role != .shadow } ?? 0)].role", "STRATEGY_SINGLE serves a primary variant")
      }
    case .ab:
      if let index = variants.firstIndex(where: { $0.role == .canary }) {
        throw invalid("deployment.variants[\(index)].role", "a canary variant needs STRATEGY_CANARY")
      }
      let total = serving.reduce(0) { $0 + $1.weight }
      guard total == 0 || abs(total - 100) < 1e-6 else {
        throw invalid("deployment.variants", "weights add up to \(total); they must add up to 100 (or all be 0 for an even split)")
      }
    }
  }

  /// A canary deployment: one primary, at most one canary (none once it is promoted), and a
  /// policy whose steps rise within (0, 100].
  private func checkCanary() throws {
    guard variants.filter({ $0.role == .primary }).count == 1 else {
      throw invalid("deployment.variants", "STRATEGY_CANARY needs exactly one primary variant")
    }
    guard variants.filter({ $0.role == .canary }).count <= 1 else {
      throw invalid("deployment.variants", "STRATEGY_CANARY takes at most one canary variant")
    }
    guard let policy = canary else { throw invalid("deployment.canary", "STRATEGY_CANARY needs a canary policy") }
    guard !policy.stepWeights.isEmpty, policy.stepWeights.count <= 100 else {
      throw invalid("deployment.canary.step_weights", "needs 1 to 100 steps")
    }
    for (index, weight) in policy.stepWeights.enumerated() {
      guard weight.isFinite, weight > 0, weight <= 100, index == 0 || weight > policy.stepWeights[index - 1] else {
        throw invalid("deployment.canary.step_weights[\(index)]", "steps must rise within (0, 100]")
      }
    }
    guard policy.intervalMilliseconds >= 100, policy.intervalMilliseconds <= 86_400_000 else {
      throw invalid("deployment.canary.interval", "must be between 100 ms and 24 h")
    }
    let analysis = "deployment.canary.analysis"
    guard policy.maxErrorRate.isFinite, (0...1).contains(policy.maxErrorRate) else {
      throw invalid("\(analysis).max_error_rate", "must be in [0, 1]")
    }
    guard policy.maxLatencyP50Milliseconds.isFinite, policy.maxLatencyP50Milliseconds >= 0 else {
      throw invalid("\(analysis).max_latency_p50_ms", "must be a non-negative number")
    }
    guard policy.maxLatencyP99Milliseconds.isFinite, policy.maxLatencyP99Milliseconds >= 0 else {
      throw invalid("\(analysis).max_latency_p99_ms", "must be a non-negative number")
    }
    guard policy.minRequests >= 0 else { throw invalid("\(analysis).min_requests", "must not be negative") }
    guard (1...1000).contains(policy.failureLimit) else { throw invalid("deployment.canary.failure_limit", "must be between 1 and 1000") }
  }

  /// Names that are safe in URLs and metrics labels: 1–128 of letters, digits, `_ - .`.
  static func checkName(_ name: String, field: String) throws {
    guard !name.isEmpty else { throw ServingError.invalidArgument(field: field, reason: "must not be empty") }
    guard name.utf8.count <= 128, name.utf8.allSatisfy(Self.isNameByte) else {
      throw ServingError.invalidArgument(field: field, reason: "'\(name)' must be 1-128 letters, digits, '_', '-' or '.'")
    }
  }

  /// A remote variant names the backend's model (and optionally its version), never an alias:
  /// the registry does not follow what a backend serves.
  static func checkRemote(_ variant: Variant, field: String) throws {
    let endpoint = variant.remoteEndpoint
    guard endpoint.utf8.count <= 256, let colon = endpoint.lastIndex(of: ":"), colon > endpoint.startIndex,
      let port = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(port)
    else { throw ServingError.invalidArgument(field: "\(field).remote_endpoint", reason: "'\(endpoint)' is not host:port") }
    guard !variant.model.modelName.isEmpty, variant.model.modelName.utf8.count <= 256 else {
      throw ServingError.invalidArgument(field: "\(field).model.model_name", reason: "must name the backend's model")
    }
    guard variant.model.alias == nil else {
      throw ServingError.invalidArgument(field: "\(field).model.alias", reason: "a remote backend's model is named by version, not alias")
    }
  }

  static func checkModel(_ model: ModelSelector, field: String) throws {
    guard !model.modelName.isEmpty, model.modelName.utf8.count <= 256 else {
      throw ServingError.invalidArgument(field: "\(field).model_name", reason: "must be 1-256 bytes")
    }
    switch (model.version, model.alias) {
    case (let version?, nil) where version > 0: return
    case (nil, let alias?) where !alias.isEmpty && alias.utf8.count <= 256: return
    default: throw ServingError.invalidArgument(field: "\(field)", reason: "name a version (1 or more) or an alias")
    }
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
    case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): true
    default: false
    }
  }

  private static func isHeaderName(_ name: String) -> Bool {
    name.utf8.count <= 64
      && name.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || byte == UInt8(ascii: "-")
      } && !name.hasPrefix("grpc-")
  }

  private func invalid(_ field: String, _ reason: String) -> ServingError { .invalidArgument(field: field, reason: reason) }
}
