import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto

/// `mlops demo`: the platform's whole lifecycle against a running platform, told step by step —
/// two training runs, two registered versions, a review, a deployment enriched from the feature
/// store, traffic, a canary that fails and drifts, the monitor's alert, the automatic rollback
/// and the lineage. It exits non-zero when any step does not happen, so CI runs it as a test.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Tell the whole lifecycle (train, register, review, deploy, canary, drift, rollback) against a running platform.")
  @OptionGroup var endpoint: EndpointOptions
  @Option(help: "Seconds each canary step lasts before it is judged.") var interval: Int = 2
  @Option(help: "Seconds to wait for the rollback and the alert before failing.") var timeout: Int = 60

  func validate() throws {
    guard interval >= 1 else { throw ValidationError("--interval must be at least 1 second") }
    guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
  }

  func run() async throws {
    try await PlatformCall.run(endpoint) { client in
      let layout = endpoint.layout
      let metrics = "http://\(layout.host):\(layout.httpPort(PlatformLayout.entries[4]))/metrics"
      let story = DemoStory(client: client, interval: interval, timeout: timeout, metrics: metrics)
      try await story.tell()
    }
  }
}

/// The demo's steps over one gateway connection; each prints what happened and throws when
/// what it needed did not happen.
struct DemoStory {
  typealias Transport = HTTP2ClientTransport.Posix
  let tracker: Mlops_Tracker_V1_TrackerService.Client<Transport>
  let registry: Mlops_Registry_V1_RegistryService.Client<Transport>
  let features: Mlops_Features_V1_FeatureStoreService.Client<Transport>
  let router: Mlops_Serving_V1_InferenceRouterService.Client<Transport>
  let monitors: Mlops_Monitor_V1_MonitorService.Client<Transport>
  let gateway: Mlops_Gateway_V1_GatewayService.Client<Transport>
  let interval: Int
  let timeout: Int
  /// The router's /metrics, for "where to look next".
  let metrics: String
  /// The registered model and the deployment.
  let name = "demo-churn"
  /// A monitor of this run's own, so an earlier run's windows and alerts never count.
  let monitor = "demo-churn-\(Int(Date().timeIntervalSince1970))"
  let customers = 200

  init(client: GRPCClient<Transport>, interval: Int, timeout: Int, metrics: String) {
    tracker = .init(wrapping: client)
    registry = .init(wrapping: client)
    features = .init(wrapping: client)
    router = .init(wrapping: client)
    monitors = .init(wrapping: client)
    gateway = .init(wrapping: client)
    (self.interval, self.timeout, self.metrics) = (interval, timeout, metrics)
  }

  /// Every step, in order.
  func tell() async throws {
    let runs = try await step(1, "Two training runs are tracked") { try await trainingRuns() }
    let versions = try await step(2, "Both models are registered from their runs") { try await register(runs) }
    try await step(3, "Version \(versions.good) is reviewed, staged to Production and aliased champion") {
      try await approve(versions.good)
    }
    try await step(4, "Customer features go into the feature store; a monitor gets the training data as reference") {
      try await prepareFeaturesAndMonitor()
    }
    try await step(5, "The champion is deployed with feature enrichment and serves traffic") { try await deploy() }
    try await step(6, "Version \(versions.bad) starts as a canary while drifted data and its errors arrive") {
      try await startCanary(version: versions.bad)
    }
    try await step(7, "The rollout is judged and rolled back automatically") { try await awaitRollback() }
    try await step(8, "The monitor raised an alert on the drifted window") { try await awaitAlert() }
    try await step(9, "Lineage: where the deployment came from and who watches it") { try await lineage() }
    print(
      """

      Where to look next:
        mlops deploy watch \(name)             the rollout, live
        mlops monitor alerts \(monitor)   the monitor's alerts
        mlops lineage \(name)                  the lineage above
        \(metrics)    the router's figures per deployment and variant
      """)
  }

  /// Prints the step's title, runs it, and says it failed when it throws.
  @discardableResult
  func step<T>(_ number: Int, _ title: String, _ body: () async throws -> T) async throws -> T {
    print("\n[\(number)/9] \(title)")
    do {
      return try await body()
    } catch let error as RPCError {
      throw StartupError("demo step \(number) failed: \(error.code): \(error.message)")
    }
  }
}
