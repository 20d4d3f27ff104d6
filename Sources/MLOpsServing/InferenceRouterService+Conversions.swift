import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Deployments and prediction cells between the wire and the engine.
extension DeploymentDefinition {
  /// The request's deployment in domain terms; enum values the router does not know are
  /// refused naming the field.
  init(_ p: Mlops_Serving_V1_Deployment) throws {
    let strategy: Strategy
    switch p.strategy {
    case .single: strategy = .single
    case .ab: strategy = .ab
    case .canary: strategy = .canary
    case .unspecified: strategy = p.variants.count == 1 ? .single : .ab
    case .UNRECOGNIZED(let n): throw ServingError.invalidArgument(field: "deployment.strategy", reason: "\(n) is not a strategy")
    }
    let variants = try p.variants.enumerated().map { index, v in
      let role: Role
      switch v.role {
      case .primary, .unspecified: role = .primary
      case .canary: role = .canary
      case .shadow: role = .shadow
      case .UNRECOGNIZED(let n):
        throw ServingError.invalidArgument(field: "deployment.variants[\(index)].role", reason: "\(n) is not a role")
      }
      var selector = ModelSelector(modelName: v.model.modelName)
      switch v.model.selector {
      case .version(let number)?: selector.version = number
      case .alias(let alias)?: selector.alias = alias
      case nil: break
      }
      return Variant(
        name: v.name, model: selector, role: role, weight: v.weight, remoteEndpoint: v.remoteEndpoint, mirrorFraction: v.mirrorFraction)
    }
    self.init(
      name: p.name, description: p.description_p, strategy: strategy, variants: variants,
      canary: p.hasCanary ? try CanaryPolicy(p.canary) : nil,
      overrideHeader: p.routing.overrideHeader, enrichment: p.enrichment.features, refuseMissing: p.enrichment.refuseMissing,
      monitorSampleRate: p.monitorSampleRate, stickyKey: p.routing.stickyKey.isEmpty ? nil : p.routing.stickyKey,
      cache: p.hasCache ? try CachePolicy(p.cache) : nil)
    if p.hasCanary, p.strategy != .canary {
      throw ServingError.invalidArgument(field: "deployment.canary", reason: "a canary policy needs STRATEGY_CANARY")
    }
  }
}

extension DeploymentDefinition.CachePolicy {
  init(_ p: Mlops_Serving_V1_ResponseCache) throws {
    guard p.hasTtl else {
      throw ServingError.invalidArgument(field: "deployment.cache.ttl", reason: "is required (how long an answer may be reused)")
    }
    let ttl = try p.ttl.milliseconds { ServingError.invalidArgument(field: "deployment.cache.ttl", reason: $0) }
    guard p.maxEntries > 0, p.maxEntries <= Int64(DeploymentDefinition.maxCacheEntries) else {
      throw ServingError.invalidArgument(
        field: "deployment.cache.max_entries", reason: "must be between 1 and \(DeploymentDefinition.maxCacheEntries)")
    }
    self.init(maxEntries: Int(p.maxEntries), ttlMilliseconds: ttl)
  }
}

extension DeploymentDefinition.CanaryPolicy {
  init(_ p: Mlops_Serving_V1_CanaryPolicy) throws {
    let interval =
      p.hasInterval ? try p.interval.milliseconds { ServingError.invalidArgument(field: "deployment.canary.interval", reason: $0) } : 60_000
    self.init(
      stepWeights: p.stepWeights, intervalMilliseconds: interval, maxErrorRate: p.analysis.maxErrorRate,
      maxLatencyP50Milliseconds: p.analysis.maxLatencyP50Ms, maxLatencyP99Milliseconds: p.analysis.maxLatencyP99Ms,
      useMonitorAlerts: p.analysis.useMonitorAlerts, minRequests: p.analysis.minRequests,
      failureLimit: p.failureLimit == 0 ? 1 : Int(p.failureLimit), autoPromote: p.autoPromote)
  }
}

extension Mlops_Serving_V1_CanaryPolicy {
  init(_ c: DeploymentDefinition.CanaryPolicy) {
    self.init()
    stepWeights = c.stepWeights
    interval = Google_Protobuf_Duration(milliseconds: c.intervalMilliseconds)
    analysis = .with {
      $0.maxErrorRate = c.maxErrorRate
      $0.maxLatencyP50Ms = c.maxLatencyP50Milliseconds
      $0.maxLatencyP99Ms = c.maxLatencyP99Milliseconds
      $0.useMonitorAlerts = c.useMonitorAlerts
      $0.minRequests = c.minRequests
    }
    failureLimit = Int32(clamping: c.failureLimit)
    autoPromote = c.autoPromote
  }
}

extension Mlops_Serving_V1_RolloutStatus {
  init(_ r: RolloutState) {
    self.init()
    deployment = r.deployment
    phase =
      [.stable: .stable, .progressing: .progressing, .paused: .paused, .promoted: .promoted, .rolledBack: .rolledBack][r.phase]
      ?? .unspecified
    step = Int32(clamping: r.step)
    canaryWeight = r.canaryWeight
    failedChecks = Int32(clamping: r.failedChecks)
    analysis = r.analysis.map { a in
      .with {
        $0.variant = a.variant
        $0.requests = a.requests
        $0.errors = a.errors
        $0.latencyP50Ms = a.latencyP50Milliseconds
        $0.latencyP99Ms = a.latencyP99Milliseconds
        $0.agreementRate = a.agreementRate
        $0.dropped = a.dropped
        $0.openAlerts = a.openAlerts
      }
    }
    message = r.message
    updatedTime = Google_Protobuf_Timestamp(milliseconds: r.updatedTime)
  }
}

extension Mlops_Serving_V1_Deployment {
  init(_ d: DeploymentDefinition) {
    self.init()
    name = d.name
    description_p = d.description
    strategy = [.single: .single, .ab: .ab, .canary: .canary][d.strategy] ?? .unspecified
    variants = d.variants.map { v in
      .with {
        $0.name = v.name
        $0.model.modelName = v.model.modelName
        if let version = v.model.version { $0.model.version = version }
        if let alias = v.model.alias { $0.model.alias = alias }
        $0.role = [.primary: .primary, .canary: .canary, .shadow: .shadow][v.role] ?? .unspecified
        $0.weight = v.weight
        $0.remoteEndpoint = v.remoteEndpoint
        $0.mirrorFraction = v.mirrorFraction
        $0.resolvedVersion = v.resolvedVersion
      }
    }
    if let policy = d.canary { canary = .init(policy) }
    if !d.overrideHeader.isEmpty { routing.overrideHeader = d.overrideHeader }
    if let stickyKey = d.stickyKey { routing.stickyKey = stickyKey }
    if let policy = d.cache {
      cache = .with {
        $0.maxEntries = Int64(policy.maxEntries)
        $0.ttl = Google_Protobuf_Duration(milliseconds: policy.ttlMilliseconds)
      }
    }
    enrichment.features = d.enrichment
    enrichment.refuseMissing = d.refuseMissing
    monitorSampleRate = d.monitorSampleRate
    generation = d.generation
    createdTime = Google_Protobuf_Timestamp(milliseconds: d.createdTime)
    updatedTime = Google_Protobuf_Timestamp(milliseconds: d.updatedTime)
  }
}

extension Cell {
  /// - Throws: INVALID_ARGUMENT naming `field` for bytes, which no model input takes.
  init(_ p: Mlops_Common_V1_Value, field: @autoclosure () -> String) throws {
    switch p.kind {
    case .nullValue?, nil: self = .null
    case .int64Value(let v)?: self = .int(v)
    case .doubleValue(let v)?: self = .double(v)
    case .floatValue(let v)?: self = .double(Double(v))
    case .stringValue(let v)?: self = .string(v)
    case .boolValue(let v)?: self = .bool(v)
    case .bytesValue?: throw ServingError.invalidArgument(field: field(), reason: "is bytes; model inputs take numbers, strings or bools")
    case .int64List(let l)?: self = .ints(l.values)
    case .doubleList(let l)?: self = .doubles(l.values)
    case .floatList(let l)?: self = .doubles(l.values.map(Double.init))
    case .stringList(let l)?: self = .strings(l.values)
    case .boolList(let l)?: self = .bools(l.values)
    }
  }
}

extension Mlops_Common_V1_Value {
  init(_ cell: Cell) {
    self.init()
    switch cell {
    case .null: nullValue = .nullValue
    case .int(let v): int64Value = v
    case .double(let v): doubleValue = v
    case .string(let v): stringValue = v
    case .bool(let v): boolValue = v
    case .ints(let v): int64List = .with { $0.values = v }
    case .doubles(let v): doubleList = .with { $0.values = v }
    case .strings(let v): stringList = .with { $0.values = v }
    case .bools(let v): boolList = .with { $0.values = v }
    }
  }
}
