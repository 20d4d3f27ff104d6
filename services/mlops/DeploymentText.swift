import MLOpsProto

/// How deployments print.
enum DeploymentText {
  static func selector(_ ref: Mlops_Common_V1_ModelRef) -> String {
    switch ref.selector {
    case .version(let v)?: "\(ref.modelName) version \(v)"
    case .alias(let a)?: "\(ref.modelName) @\(a)"
    case nil: ref.modelName
    }
  }

  /// The strategy as `deploy list` spells it.
  static func strategy(_ s: Mlops_Serving_V1_Strategy) -> String {
    switch s {
    case .ab: "ab"
    case .canary: "canary"
    default: "single"
    }
  }

  static func line(_ d: Mlops_Serving_V1_Deployment) -> String {
    "\(d.name)\t\(strategy(d.strategy))\tgeneration \(d.generation)\t"
      + d.variants.map { "\($0.name)=\(selector($0.model))" }.joined(separator: ", ")
  }

  static func describe(_ d: Mlops_Serving_V1_Deployment) -> String {
    let title = [Mlops_Serving_V1_Strategy.ab: "A/B", .canary: "canary"][d.strategy] ?? "single"
    var lines = ["\(d.name) (\(title), generation \(d.generation))"]
    for v in d.variants {
      let role = v.role == .canary ? " (canary)" : v.role == .shadow ? " (shadow)" : ""
      lines.append("  \(v.name): \(selector(v.model))\(role)\(d.strategy == .ab ? ", weight \(v.weight)%" : "")")
    }
    if !d.routing.stickyKey.isEmpty { lines.append("  sticky by request field '\(d.routing.stickyKey)'") }
    if d.hasCache {
      let ttl = Double(d.cache.ttl.seconds) + Double(d.cache.ttl.nanos) / 1e9
      lines.append("  response cache: \(d.cache.maxEntries) answers for \(ttl) s")
    }
    return lines.joined(separator: "\n")
  }
}

extension DeploymentText {
  /// The phase as the API spells it (`ROLLED_BACK`, as error messages name it).
  static func phaseName(_ phase: Mlops_Serving_V1_RolloutPhase) -> String {
    switch phase {
    case .stable: "STABLE"
    case .progressing: "PROGRESSING"
    case .paused: "PAUSED"
    case .promoted: "PROMOTED"
    case .rolledBack: "ROLLED_BACK"
    default: "UNSPECIFIED"
    }
  }

  /// One line per status: phase, step, canary weight, failed checks, each variant's figures.
  static func status(_ s: Mlops_Serving_V1_RolloutStatus) -> String {
    let phase = phaseName(s.phase)
    var line = "\(s.deployment): \(phase)"
    if s.step >= 0 { line += ", step \(s.step + 1), canary \(s.canaryWeight)%" }
    if s.failedChecks > 0 { line += ", \(s.failedChecks) failed check(s)" }
    line += " — \(s.message)"
    for a in s.analysis {
      line +=
        "\n  \(a.variant): \(a.requests) requests, \(a.errors) errors, p50 \(String(format: "%.2f", a.latencyP50Ms)) ms, p99 \(String(format: "%.2f", a.latencyP99Ms)) ms"
      if a.agreementRate > 0 || a.dropped > 0 {
        line += ", agreement \(String(format: "%.1f", a.agreementRate * 100))%, \(a.dropped) dropped"
      }
      if a.openAlerts > 0 { line += ", \(a.openAlerts) open alert(s)" }
    }
    return line
  }
}
