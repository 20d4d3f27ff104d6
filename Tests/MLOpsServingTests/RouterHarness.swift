import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsProto
import MLOpsRegistry
import MLOpsServing
import MLOpsTestSupport
import MLOpsTracker
import ServiceLifecycle

/// A real tracker, registry and inference router on loopback, each reached over gRPC, the
/// router fetching models from the registry as the processes do in production.
struct RouterHarness {
  typealias Router = Mlops_Serving_V1_InferenceRouterService.Client<HTTP2ClientTransport.Posix>
  typealias Registry = Mlops_Registry_V1_RegistryService.Client<HTTP2ClientTransport.Posix>
  typealias OIP = Inference_GRPCInferenceService.Client<HTTP2ClientTransport.Posix>

  let router: Router
  let oip: OIP
  let registry: Registry
  let tracker: Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>
  /// The router's storage and model directory, to start a second router on them.
  let storage: Storage
  let modelDirectory: URL
  /// The registry's port, for a second router that needs it.
  let registryPort: Int
  /// This router's port, for a second router that uses it as a remote backend.
  let routerPort: Int
  /// The router's server, for its `/metrics`.
  let server: RunningServer

  static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

  static func fixture(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("MLOpsRuntimeTests/Fixtures/\(name)")
  }

  static func with(_ backend: TestBackend, _ body: (RouterHarness) async throws -> Void) async throws {
    let root = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(root) }
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { trackerStorage in
      let tracker = try TrackerRuntime.service(storage: trackerStorage, options: try ProcessOptions.parse([]), logger: logger)
      try await RunningServer.with(services: [tracker]) { trackerServer, trackerClient in
        try await TestBackend.sqlite.withStorage(migrations: RegistrySchema.migrations) { registryStorage in
          var options = try ProcessOptions.parse([])
          options.artifactRoot = root + "/registry"
          let runs = try GRPCClientService(name: "tracker", address: PeerAddress(host: "127.0.0.1", port: trackerServer.grpcPort))
          let registry = try RegistryRuntime.service(
            storage: registryStorage, options: options, logger: logger, runs: TrackerRunLookup(peer: runs, timeout: .seconds(30)))
          try await RunningServer.with(services: [registry], background: [runs]) { registryServer, registryClient in
            try await backend.withStorage(migrations: ServingSchema.migrations) { storage in
              let models = URL(fileURLWithPath: root).appendingPathComponent("models")
              try await withRouterServer(storage: storage, modelDirectory: models, registryPort: registryServer.grpcPort) {
                running, router, oip in
                try await body(
                  RouterHarness(
                    router: router, oip: oip, registry: Registry(wrapping: registryClient),
                    tracker: .init(wrapping: trackerClient), storage: storage, modelDirectory: models,
                    registryPort: registryServer.grpcPort, routerPort: running.grpcPort, server: running))
              }
            }
          }
        }
      }
    }
  }

  /// A router process on `storage`, fetching from the registry at `registryPort` (a dead
  /// port makes the registry unreachable) and, with `monitorPort`, sampling to that monitor.
  static func withRouter(
    storage: Storage, modelDirectory: URL, registryPort: Int, monitorPort: Int? = nil, featurePort: Int? = nil,
    _ body: (Router, OIP) async throws -> Void
  ) async throws {
    try await withRouterServer(
      storage: storage, modelDirectory: modelDirectory, registryPort: registryPort, monitorPort: monitorPort, featurePort: featurePort
    ) {
      _, router, oip in try await body(router, oip)
    }
  }

  /// ``withRouter`` with the running server, for its `/metrics`.
  /// `interceptors` run on every call the router answers (a slow network, for instance); with
  /// none, Predict and ModelInfer are also fast routes, as in the `inference-router` process
  /// (a fast route runs no interceptor).
  static func withRouterServer(
    storage: Storage, modelDirectory: URL, registryPort: Int, monitorPort: Int? = nil, featurePort: Int? = nil,
    interceptors: [any ServerInterceptor] = [],
    _ body: (RunningServer, Router, OIP) async throws -> Void
  ) async throws {
    let peer = try GRPCClientService(name: "registry", address: PeerAddress(host: "127.0.0.1", port: registryPort))
    let metrics = RPCMetrics()
    var background: [any Service] = [peer]
    var sampler: PredictionSampler?
    var alerts: MonitorAlertSource?
    if let monitorPort {
      let monitor = try GRPCClientService(name: "monitor", address: PeerAddress(host: "127.0.0.1", port: monitorPort))
      let made = PredictionSampler(
        sink: MonitorPredictionSink(peer: monitor), metrics: RouterMetrics(registry: metrics.registry), logger: logger,
        interval: .milliseconds(20))
      background += [monitor, made]
      sampler = made
      alerts = MonitorAlertSource(peer: monitor, timeout: .seconds(30))
    }
    let mirror = ShadowMirror()
    background.append(mirror)
    var features: GRPCFeatureLookup?
    if let featurePort {
      let address = PeerAddress(host: "127.0.0.1", port: featurePort)
      let featureServer = try GRPCClientService(name: "feature-server", address: address)
      let relay = NGHTTP2Relay(address: address, maxMessageBytes: GRPCServerService.maxPayloadBytes)
      background += [featureServer, relay]
      features = GRPCFeatureLookup(peer: featureServer, relay: relay, timeout: .seconds(30))
    }
    let engine = InferenceRouterRuntime.engine(
      storage: storage, modelDirectory: modelDirectory, source: RegistryModelSource(peer: peer, timeout: .seconds(30)),
      sampler: sampler, features: features, shadowMirror: mirror, alerts: alerts, metrics: metrics.registry, logger: logger)
    let router = InferenceRouterService(engine: engine)
    let openInference = OpenInferenceService(engine: engine)
    let fastRoutes = interceptors.isEmpty ? router.fastRoutes(logger: logger) + openInference.fastRoutes(logger: logger) : []
    background += [RouterBackground(engine: engine, logger: logger), AliasFollower(engine: engine, peer: peer, logger: logger)]
    try await RunningServer.with(
      services: [router, openInference], background: background, interceptors: interceptors, fastRoutes: fastRoutes, metrics: metrics
    ) {
      running, client in
      try await body(running, Router(wrapping: client), OIP(wrapping: client))
    }
  }

  /// Registers `fixture` (an ONNX file of the runtime's fixtures) as a new version of `model`.
  @discardableResult
  func register(
    _ model: String, fixture: String, outputs: [(String, Mlops_Common_V1_ValueType)], input: (String, Int64) = ("X", 8)
  ) async throws -> Int64 {
    let experiment = try await tracker.createExperiment(.with { $0.name = "e-\(UUID().uuidString)" }).experiment.experimentID
    let run = try await tracker.createRun(.with { $0.experimentID = experiment }).run.info.runID
    if (try? await registry.getRegisteredModel(.with { $0.name = model })) == nil {
      _ = try await registry.createRegisteredModel(.with { $0.name = model })
    }
    let version = try await registry.createModelVersion(
      .with {
        $0.name = model
        $0.runID = run
        $0.format = "onnx"
        $0.signature.inputs = [
          .with {
            $0.name = input.0
            $0.type = .float
            $0.shape = [-1, input.1]
          }
        ]
        $0.signature.outputs = outputs.map { output in
          .with {
            $0.name = output.0
            $0.type = output.1
          }
        }
      }
    ).modelVersion.version
    let data = try Data(contentsOf: Self.fixture(fixture))
    let uploaded = try await registry.uploadModelArtifact { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.name = model
            $0.version = version
          }
        })
      try await writer.write(.with { $0.chunk = data })
    }.modelVersion
    precondition(uploaded.status == .ready, "\(fixture) did not register: \(uploaded.statusMessage)")
    return version
  }

  /// The classifier fixture as version 1 of `model`, the regressor as version 2.
  func registerBoth(_ model: String) async throws {
    try await register(model, fixture: "logreg_binary.onnx", outputs: [("output_label", .int64)])
    try await register(model, fixture: "linear_regression.onnx", outputs: [("variable", .float)])
  }

  static func deployment(
    _ name: String, _ variants: [(String, String, Int64, Double)], strategy: Mlops_Serving_V1_Strategy = .single
  ) -> Mlops_Serving_V1_Deployment {
    .with {
      $0.name = name
      $0.strategy = strategy
      $0.variants = variants.map { variant in
        .with {
          $0.name = variant.0
          $0.model.modelName = variant.1
          $0.model.version = variant.2
          $0.role = .primary
          $0.weight = variant.3
        }
      }
    }
  }
}

/// Inputs and onnxruntime's outputs of a fixture, from its committed JSON.
struct FixtureCase {
  let rows: [[Double]]
  let outputs: [String: Any]

  init(_ name: String) throws {
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: RouterHarness.fixture(name))) as! [String: Any]
    let input = (json["inputs"] as! [[String: Any]])[0]
    let shape = input["shape"] as! [Int]
    let data = (input["data"] as! [NSNumber]).map(\.doubleValue)
    rows = (0..<shape[0]).map { Array(data[$0 * shape[1]..<($0 + 1) * shape[1]]) }
    outputs = Dictionary(uniqueKeysWithValues: (json["outputs"] as! [[String: Any]]).map { ($0["name"] as! String, $0["data"]!) })
  }

  var instances: [Mlops_Serving_V1_PredictInstance] {
    rows.map { row in .with { $0.features["X"] = .with { $0.doubleList = .with { $0.values = row } } } }
  }
}
