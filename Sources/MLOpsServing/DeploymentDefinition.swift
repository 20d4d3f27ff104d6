/// A deployment as the router's rules see it, free of generated types: what serves a
/// name, split how, and the generation that optimistic updates compare. Stored as JSON.
public struct DeploymentDefinition: Codable, Sendable, Equatable {
  /// How traffic is split between the variants.
  public enum Strategy: Int, Codable, Sendable {
    case single = 1, ab = 2, canary = 3
  }

  /// A variant's place in the deployment (KServe's default/canary, Seldon's mirror).
  public enum Role: Int, Codable, Sendable {
    case primary = 1, canary = 2, shadow = 3
  }

  /// Which registered version a variant serves: a number, or an alias resolved when the
  /// deployment is created or updated.
  public struct ModelSelector: Codable, Sendable, Equatable {
    public var modelName: String
    public var version: Int64?
    public var alias: String?

    public init(modelName: String, version: Int64? = nil, alias: String? = nil) {
      self.modelName = modelName
      self.version = version
      self.alias = alias
    }
  }

  /// One model behind the deployment.
  public struct Variant: Codable, Sendable, Equatable {
    public var name: String
    public var model: ModelSelector
    public var role: Role
    /// Percent of traffic (A/B); a SINGLE deployment's primary takes all.
    public var weight: Double
    public var remoteEndpoint: String
    /// Shadows: the share of requests mirrored (0 is read as 1, every request).
    public var mirrorFraction: Double
    /// The version the selector resolved to when the deployment was last written, and its
    /// artifact's digest: a restart serves exactly that, from the disk cache, even with the
    /// registry down.
    public var resolvedVersion: Int64
    public var resolvedDigest: String

    public init(
      name: String, model: ModelSelector, role: Role, weight: Double, remoteEndpoint: String = "", mirrorFraction: Double = 0,
      resolvedVersion: Int64 = 0, resolvedDigest: String = ""
    ) {
      self.mirrorFraction = mirrorFraction
      self.name = name
      self.model = model
      self.role = role
      self.weight = weight
      self.remoteEndpoint = remoteEndpoint
      self.resolvedVersion = resolvedVersion
      self.resolvedDigest = resolvedDigest
    }
  }

  /// How a canary is rolled out (Flagger's analysis): weights per step, how long each step
  /// is judged, what fails a check, how many failed checks roll back.
  public struct CanaryPolicy: Codable, Sendable, Equatable {
    public var stepWeights: [Double]
    public var intervalMilliseconds: Int64
    public var maxErrorRate: Double
    public var maxLatencyP50Milliseconds: Double
    public var maxLatencyP99Milliseconds: Double
    public var useMonitorAlerts: Bool
    public var minRequests: Int64
    public var failureLimit: Int
    public var autoPromote: Bool

    public init(
      stepWeights: [Double] = [], intervalMilliseconds: Int64 = 60_000, maxErrorRate: Double = 0, maxLatencyP50Milliseconds: Double = 0,
      maxLatencyP99Milliseconds: Double = 0, useMonitorAlerts: Bool = false, minRequests: Int64 = 0, failureLimit: Int = 1,
      autoPromote: Bool = false
    ) {
      self.stepWeights = stepWeights
      self.intervalMilliseconds = intervalMilliseconds
      self.maxErrorRate = maxErrorRate
      self.maxLatencyP50Milliseconds = maxLatencyP50Milliseconds
      self.maxLatencyP99Milliseconds = maxLatencyP99Milliseconds
      self.useMonitorAlerts = useMonitorAlerts
      self.minRequests = minRequests
      self.failureLimit = failureLimit
      self.autoPromote = autoPromote
    }
  }

  /// How many answers a deployment keeps, and for how long (Seldon's and KServe's
  /// request caches; the seed's "caching repeated inference").
  public struct CachePolicy: Codable, Sendable, Equatable {
    public var maxEntries: Int
    public var ttlMilliseconds: Int64

    public init(maxEntries: Int, ttlMilliseconds: Int64) {
      self.maxEntries = maxEntries
      self.ttlMilliseconds = ttlMilliseconds
    }
  }

  public var name: String
  public var description: String
  public var strategy: Strategy
  public var variants: [Variant]
  public var canary: CanaryPolicy?
  /// Metadata header that forces a variant by name (default `x-mlops-variant`).
  public var overrideHeader: String
  /// Feature references ("view:feature") fetched online for rows that carry entity keys.
  public var enrichment: [String]
  /// Whether a feature the online store cannot give refuses the request (else it is null).
  public var refuseMissing: Bool
  public var monitorSampleRate: Double
  /// The request field (an input column, else an entity key) whose value routes a request
  /// when it carries one; nil: `routing_key` alone. Optional so definitions stored before it
  /// existed still decode.
  public var stickyKey: String?
  /// The response cache; nil: off.
  public var cache: CachePolicy?
  public var generation: Int64
  public var createdTime: Int64
  public var updatedTime: Int64

  public init(
    name: String, description: String = "", strategy: Strategy, variants: [Variant], canary: CanaryPolicy? = nil,
    overrideHeader: String = "",
    enrichment: [String] = [], refuseMissing: Bool = false, monitorSampleRate: Double = 0, stickyKey: String? = nil,
    cache: CachePolicy? = nil, generation: Int64 = 0, createdTime: Int64 = 0, updatedTime: Int64 = 0
  ) {
    self.name = name
    self.description = description
    self.strategy = strategy
    self.variants = variants
    self.canary = canary
    self.overrideHeader = overrideHeader
    self.enrichment = enrichment
    self.refuseMissing = refuseMissing
    self.monitorSampleRate = monitorSampleRate
    self.stickyKey = stickyKey
    self.cache = cache
    self.generation = generation
    self.createdTime = createdTime
    self.updatedTime = updatedTime
  }

  /// The header a caller sets to force a variant.
  public var effectiveOverrideHeader: String { overrideHeader.isEmpty ? "x-mlops-variant" : overrideHeader.lowercased() }

  /// The variants that answer requests (all but shadows).
  public var serving: [Variant] { variants.filter { $0.role != .shadow } }

  /// The canary variant of a CANARY deployment, if it has one now.
  public var canaryVariant: Variant? { strategy == .canary ? variants.first { $0.role == .canary } : nil }
}
