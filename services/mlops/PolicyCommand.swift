import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto

/// `mlops policy`: the gateway's deployment policy.
struct PolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Set, show and dry-run the deployment policy.", subcommands: [Set.self, Show.self, Check.self])

  typealias Client = Mlops_Gateway_V1_GatewayService.Client<HTTP2ClientTransport.Posix>

  static func run<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  struct Set: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set the policy of a deployment, or \"default\" (admin).")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "A deployment name, or default.") var scope: String
    @Option(help: "Stage the version must be in (None, Staging, Production, Archived).") var stage: String = ""
    @Option(help: "Distinct approving reviews required.") var approvals: Int32 = 0
    @Flag(name: .customLong("require-signature"), help: "The version must carry a signature.") var requireSignature = false
    @Option(name: .customLong("threshold"), help: "A run metric rule, e.g. \"auc>=0.9\"; repeatable.") var thresholds: [String] = []
    @Flag(name: .customLong("require-reference"), help: "A monitor with a reference must watch the deployment.") var requireReference =
      false
    @Flag(name: .customLong("require-canary"), help: "The primary may change only through a canary.") var requireCanary = false
    @Option(name: .customLong("max-canary-step"), help: "Largest rise of a canary step, in percent.") var maxCanaryStep: Double = 0

    func run() async throws {
      let rules = try thresholds.map(Self.threshold)
      let policy = Mlops_Gateway_V1_Policy.with {
        $0.scope = scope
        $0.requiredStage = stage
        $0.requiredApprovals = approvals
        $0.requireSignature = requireSignature
        $0.metricThresholds = rules
        $0.requireReferenceProfile = requireReference
        $0.requireCanary = requireCanary
        $0.maxCanaryStep = maxCanaryStep
      }
      let stored = try await PolicyCommand.run(endpoint) { try await $0.setPolicy(.with { $0.policy = policy }).policy }
      print(PolicyCommand.describe(stored))
    }

    /// "auc>=0.9" → metric auc, op >=, value 0.9.
    static func threshold(_ text: String) throws -> Mlops_Gateway_V1_MetricThreshold {
      for op in [">=", "<=", ">", "<"] {
        if let range = text.range(of: op), let value = Double(text[range.upperBound...].trimmingCharacters(in: .whitespaces)) {
          return .with {
            $0.metric = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            $0.op = op
            $0.value = value
          }
        }
      }
      throw ValidationError("--threshold '\(text)' is not METRIC>=VALUE (or >, <, <=)")
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The policy of a scope.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "A deployment name, or default.") var scope: String = "default"

    func run() async throws {
      let policy = try await PolicyCommand.run(endpoint) { try await $0.getPolicy(.with { $0.scope = scope }).policy }
      print(PolicyCommand.describe(policy))
    }
  }

  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Dry-run the policy for deploying a model; exits 1 when it would be refused.")
    @OptionGroup var endpoint: EndpointOptions
    @Argument(help: "Deployment name.") var deployment: String
    @Option(help: "MODEL@VERSION or MODEL@ALIAS.") var model: String
    @Option(help: "create, update, promote or alias.") var action: String = "create"

    func run() async throws {
      guard let at = model.lastIndex(of: "@") else { throw ValidationError("--model '\(model)' is not MODEL@VERSION or MODEL@ALIAS") }
      let name = String(model[..<at])
      let selector = String(model[model.index(after: at)...])
      let kind: Mlops_Gateway_V1_PolicyAction =
        switch action {
        case "create": .createDeployment
        case "update": .updateDeployment
        case "promote": .promote
        case "alias": .setAlias
        default: .unspecified
        }
      guard kind != .unspecified else { throw ValidationError("--action '\(action)' is not create, update, promote or alias") }
      let answer = try await PolicyCommand.run(endpoint) { client in
        try await client.evaluatePolicy(
          .with {
            $0.action = kind
            $0.deployment = deployment
            $0.model.modelName = name
            if let version = Int64(selector) { $0.model.version = version } else { $0.model.alias = selector }
          })
      }
      if answer.policyScope.isEmpty { print("no policy applies to \(deployment): allowed") }
      for outcome in answer.outcomes { print("\(outcome.passed ? "pass" : "FAIL")  \(outcome.rule): \(outcome.message)") }
      if !answer.allowed { throw ExitCode(1) }
    }
  }

  static func describe(_ p: Mlops_Gateway_V1_Policy) -> String {
    var lines = ["policy \(p.scope) (set by \(p.updatedBy.isEmpty ? "?" : p.updatedBy))"]
    if !p.requiredStage.isEmpty { lines.append("  required stage: \(p.requiredStage)") }
    if p.requiredApprovals > 0 { lines.append("  required approvals: \(p.requiredApprovals)") }
    if p.requireSignature { lines.append("  signature required") }
    for t in p.metricThresholds { lines.append("  run metric: \(t.metric) \(t.op) \(t.value)") }
    if p.requireReferenceProfile { lines.append("  a monitor with a reference must watch the deployment") }
    if p.requireCanary { lines.append("  the primary changes only through a canary") }
    if p.maxCanaryStep > 0 { lines.append("  largest canary step: \(p.maxCanaryStep)%") }
    return lines.joined(separator: "\n")
  }
}

/// `mlops lineage DEPLOYMENT`: where a deployment's models came from and how they are watched.
struct LineageCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "lineage", abstract: "Deployment → versions → runs → datasets → monitors.")
  @OptionGroup var endpoint: EndpointOptions
  @Argument(help: "Deployment name.") var deployment: String

  func run() async throws {
    let lineage = try await PolicyCommand.run(endpoint) { try await $0.getModelLineage(.with { $0.deployment = deployment }) }
    for line in Self.describe(lineage) { print(line) }
  }

  /// The lineage as lines: the deployment, each variant's version, run and features, the monitors.
  static func describe(_ lineage: Mlops_Gateway_V1_GetModelLineageResponse) -> [String] {
    var lines = ["deployment \(lineage.deployment)"]
    for v in lineage.variants {
      lines.append(
        "  variant \(v.variant) (\(v.role)): \(v.modelName) version \(v.modelVersion), stage \(v.stage), sha256 \(v.contentDigest.prefix(12))…"
      )
      if !v.runID.isEmpty { lines.append("    run \(v.runID) (experiment \(v.experimentID))") }
      for (key, value) in v.runParams.sorted(by: { $0.key < $1.key }) { lines.append("      param \(key) = \(value)") }
      for (key, value) in v.runMetrics.sorted(by: { $0.key < $1.key }) { lines.append("      metric \(key) = \(value)") }
      for d in v.datasets { lines.append("    dataset \(d.name) (\(d.context)) \(d.source) digest \(d.digest)") }
      if !v.featureViews.isEmpty { lines.append("    feature views: \(v.featureViews.joined(separator: ", "))") }
    }
    for m in lineage.monitors {
      lines.append(
        "  monitor \(m.monitor): reference \(m.hasReference_p ? "set" : "missing"), \(m.openAlerts) open alert(s)\(m.lastDatasetDrift ? ", last window drifted" : "")"
      )
    }
    return lines
  }
}
