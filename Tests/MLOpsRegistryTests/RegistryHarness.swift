import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsProto
import MLOpsRegistry
import MLOpsTestSupport
import MLOpsTracker

/// A real tracker and a real registry on loopback, the registry asking the tracker about runs
/// over gRPC, as the two processes do in production.
struct RegistryHarness {
  typealias Registry = Mlops_Registry_V1_RegistryService.Client<HTTP2ClientTransport.Posix>
  typealias Tracker = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  let registry: Registry
  let tracker: Tracker
  let artifactRoot: String

  /// The logistic-regression fixture: input X (float, 8 columns), outputs output_label and
  /// output_probability.
  static let onnx = try! Data(
    contentsOf: URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("MLOpsRuntimeTests/Fixtures/logreg_binary.onnx"))

  static let signature = Mlops_Registry_V1_ModelSignature.with {
    $0.inputs = [
      .with {
        $0.name = "X"
        $0.type = .float
        $0.shape = [-1, 8]
      }
    ]
    $0.outputs = [
      .with {
        $0.name = "output_label"
        $0.type = .int64
      }
    ]
  }

  /// Runs `body` with both services up; `trackerReachable: false` points the registry at a
  /// port nobody listens on.
  static func with(
    _ backend: TestBackend, trackerReachable: Bool = true, _ body: (RegistryHarness) async throws -> Void
  ) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let root = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(root) }
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { trackerStorage in
      let trackerService = try TrackerRuntime.service(storage: trackerStorage, options: try ProcessOptions.parse([]), logger: logger)
      try await RunningServer.with(services: [trackerService]) { trackerServer, trackerClient in
        try await backend.withStorage(migrations: RegistrySchema.migrations) { storage in
          var options = try ProcessOptions.parse([])
          options.artifactRoot = root
          let port = trackerReachable ? trackerServer.grpcPort : 1
          let peer = try GRPCClientService(name: "tracker", address: PeerAddress(host: "127.0.0.1", port: port))
          // A tracker that is down fails the call at once (gRPC fails fast when the connection
          // is refused), so the deadline only bounds a slow answer on a loaded machine.
          let service = try RegistryRuntime.service(
            storage: storage, options: options, logger: logger, runs: TrackerRunLookup(peer: peer, timeout: .seconds(30)))
          try await RunningServer.with(services: [service], background: [peer], fastRoutes: service.fastRoutes(logger: logger)) {
            _, registryClient in
            try await body(
              RegistryHarness(registry: Registry(wrapping: registryClient), tracker: Tracker(wrapping: trackerClient), artifactRoot: root))
          }
        }
      }
    }
  }

  /// A tracker run with a metric and a param, to register versions from.
  func run() async throws -> String {
    let experiment = try await tracker.createExperiment(.with { $0.name = "e-\(UUID().uuidString)" }).experiment.experimentID
    let run = try await tracker.createRun(.with { $0.experimentID = experiment }).run.info.runID
    _ = try await tracker.logBatch(
      .with {
        $0.runID = run
        $0.metrics = [
          .with {
            $0.key = "auc"
            $0.value = 0.91
            $0.step = 1
          }
        ]
        $0.params = [
          .with {
            $0.key = "C"
            $0.value = "1.0"
          }
        ]
      })
    return run
  }

  /// The caller identity the gateway would set.
  static func actor(_ name: String) -> Metadata { ["x-mlops-actor": "\(name)"] }

  func version(_ model: String, run: String, signature: Mlops_Registry_V1_ModelSignature = Self.signature) async throws
    -> Mlops_Registry_V1_ModelVersion
  {
    try await registry.createModelVersion(
      .with {
        $0.name = model
        $0.runID = run
        $0.format = "onnx"
        $0.signature = signature
      },
      metadata: Self.actor("ana")
    ).modelVersion
  }

  @discardableResult
  func upload(_ model: String, _ version: Int64, _ data: Data = Self.onnx, expected: String = "") async throws
    -> Mlops_Registry_V1_ModelVersion
  {
    try await registry.uploadModelArtifact(metadata: Self.actor("ana")) { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.name = model
            $0.version = version
            $0.expectedSha256 = expected
          }
        })
      var offset = 0
      while offset < data.count {
        let end = min(offset + 256, data.count)
        try await writer.write(.with { $0.chunk = data.subdata(in: offset..<end) })
        offset = end
      }
    }.modelVersion
  }

  func download(_ model: String, _ version: Int64) async throws -> (header: Mlops_Registry_V1_ModelArtifactHeader?, data: Data) {
    try await registry.downloadModelArtifact(
      request: .init(
        message: .with {
          $0.name = model
          $0.version = version
        })
    ) { response in
      var header: Mlops_Registry_V1_ModelArtifactHeader?
      var data = Data()
      for try await message in response.messages {
        switch message.part {
        case .header(let h): header = h
        case .chunk(let bytes): data.append(bytes)
        case nil: break
        }
      }
      return (header, data)
    }
  }
}
