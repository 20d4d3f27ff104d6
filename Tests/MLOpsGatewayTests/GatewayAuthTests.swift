import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsGateway
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Adds a bearer token to every call of a client.
struct Bearer: ClientInterceptor {
  let token: String

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>, context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    var request = request
    request.metadata.replaceOrAddString("Bearer \(token)", forKey: "authorization")
    return try await next(request, context)
  }
}

/// Sends `header` as the `authorization` value of every call, exactly as given.
struct RawAuthorization: ClientInterceptor {
  let header: String

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>, context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    var request = request
    request.metadata.replaceOrAddString(header, forKey: "authorization")
    return try await next(request, context)
  }
}

/// A tracker upstream and a gateway with auth on, on `backend`; the body gets the gateway's
/// port, the admin token and the gateway's storage.
func withAuthGateway(
  _ backend: TestBackend, rateLimit: Double = 0, _ body: (Int, String, Storage, String) async throws -> Void
) async throws {
  let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
  try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { trackerStorage in
    let tracker = try TrackerRuntime.service(storage: trackerStorage, options: try ProcessOptions.parse([]), logger: logger)
    try await RunningServer.with(services: [tracker]) { upstream, _ in
      try await backend.withStorage(migrations: GatewaySchema.migrations) { storage in
        let directory = try TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(directory) }
        var options = try ProcessOptions.parse(["--tracker-address", "127.0.0.1:\(upstream.grpcPort)", "--data-dir", directory])
        options.dataDirectory = directory
        let auth = try await GatewayRuntime.auth(storage: storage, options: options, logger: logger)
        let services = try GatewayRuntime.services(
          peers: options.peers, ownAddress: "test", auth: auth, rateLimit: rateLimit, logger: logger)
        try await RunningServer.with(
          services: services.rpc, background: services.background, interceptors: services.interceptors, fastRoutes: services.fastRoutes
        ) {
          gateway, _ in
          let file = case_sqliteKeyFile(storage, directory)
          let token = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
          try await body(gateway.grpcPort, token, storage, file)
        }
      }
    }
  }
}

/// Where the gateway wrote the admin key: beside its SQLite file, or the data dir.
func case_sqliteKeyFile(_ storage: Storage, _ directory: String) -> String {
  if case .sqlite(let database) = storage {
    return ((database.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("admin.key")
  }
  return (directory as NSString).appendingPathComponent("admin.key")
}

/// Runs `body` with a gateway client that sends `token` (none when nil).
func withClient(port: Int, token: String?, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Void) async throws {
  try await withGRPCClient(
    transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext),
    interceptors: token.map { [Bearer(token: $0)] } ?? []
  ) { client in try await body(client) }
}

@Suite("Gateway authentication and roles")
struct GatewayAuthTests {
  @Test("every RPC of every service the gateway serves has a role")
  func everyRPCHasARole() {
    let all =
      Mlops_Tracker_V1_TrackerService.Method.descriptors + Mlops_Registry_V1_RegistryService.Method.descriptors
      + Mlops_Features_V1_FeatureStoreService.Method.descriptors + Mlops_Serving_V1_InferenceRouterService.Method.descriptors
      + Inference_GRPCInferenceService.Method.descriptors + Mlops_Monitor_V1_MonitorService.Method.descriptors
      + Mlops_Gateway_V1_GatewayService.Method.descriptors
    let missing = all.filter { RoleTable.roles[$0.fullyQualifiedMethod] == nil }.map(\.fullyQualifiedMethod)
    #expect(missing.isEmpty, "no role for \(missing)")
    #expect(RoleTable.roles.count == all.count, "no row names an RPC that does not exist")
  }

  @Test(
    "no key, a malformed or unknown key is UNAUTHENTICATED; a low role PERMISSION_DENIED naming the role; revocation is immediate",
    arguments: TestBackend.available)
  func matrix(backend: TestBackend) async throws {
    try await withAuthGateway(backend) { port, admin, _, _ in
      #expect(admin.hasPrefix("mlk_"))
      var viewerToken = ""
      try await withClient(port: port, token: admin) { client in
        let gateway = Mlops_Gateway_V1_GatewayService.Client(wrapping: client)
        let created = try await gateway.createApiKey(
          .with {
            $0.name = "ana"
            $0.role = .viewer
          })
        viewerToken = created.secret
        #expect(created.apiKey.role == .viewer && created.apiKey.createdBy == "admin")
        let listed = try await gateway.listApiKeys(.init()).apiKeys
        #expect(listed.map(\.name).sorted() == ["admin", "ana"])
        _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: client).createExperiment(.with { $0.name = "by-admin" })
        await expectStatus(.invalidArgument, naming: "role") { _ = try await gateway.createApiKey(.with { $0.name = "x" }) }
      }
      for token in [nil, "nope", "mlk_000000000000_notarealsecretatall", admin + "x"] as [String?] {
        try await withClient(port: port, token: token) { client in
          await expectStatus(.unauthenticated, naming: "authorization") {
            _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: client).searchExperiments(.init())
          }
        }
      }
      try await withClient(port: port, token: viewerToken) { client in
        let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: client)
        let found = try await tracker.searchExperiments(.init()).experiments.map(\.name)
        #expect(found.contains("by-admin"))
        await expectStatus(.permissionDenied, naming: "editor") { _ = try await tracker.createExperiment(.with { $0.name = "by-viewer" }) }
        await expectStatus(.permissionDenied, naming: "admin") {
          _ = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).listApiKeys(.init())
        }
        // Health needs no key: probes carry none.
        _ = try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init())
      }
      try await withClient(port: port, token: admin) { client in
        let keys = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).listApiKeys(.init()).apiKeys
        let ana = try #require(keys.first { $0.name == "ana" })
        _ = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).revokeApiKey(.with { $0.keyID = ana.keyID })
      }
      try await withClient(port: port, token: viewerToken) { client in
        await expectStatus(.unauthenticated, naming: "revoked") {
          _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: client).searchExperiments(.init())
        }
      }
    }
  }

  @Test(
    "the Bearer scheme is read in any case, spaces before the key ignored; another scheme or no key is UNAUTHENTICATED")
  func bearerHeader() async throws {
    try await withAuthGateway(.sqlite) { port, admin, _, _ in
      for (header, passes) in [
        ("bearer \(admin)", true), ("BEARER   \(admin)", true), ("Basic \(admin)", false), ("Bearer", false),
        (admin, false), ("Bearerx \(admin)", false), ("Bearer \(admin)x", false),
      ] {
        try await withGRPCClient(
          transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext),
          interceptors: [RawAuthorization(header: header)]
        ) { client in
          let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: client)
          if passes {
            _ = try await tracker.searchExperiments(.init())
          } else {
            await expectStatus(.unauthenticated, naming: "authorization") { _ = try await tracker.searchExperiments(.init()) }
          }
        }
      }
    }
  }

  @Test(
    "a key revoked through one gateway stops working on a second one sharing the database within a second", arguments: TestBackend.available
  )
  func revokedOnAReplica(backend: TestBackend) async throws {
    try await withAuthGateway(backend) { port, admin, storage, _ in
      let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
      var token = ""
      try await withClient(port: port, token: admin) { client in
        token = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).createApiKey(
          .with {
            $0.name = "bo"
            $0.role = .editor
          }
        ).secret
      }
      var options = try ProcessOptions.parse([])
      options.dataDirectory = try TemporaryDirectory.make()
      let auth = try await GatewayRuntime.auth(storage: storage, options: options, logger: logger)
      let services = try GatewayRuntime.services(peers: options.peers, ownAddress: "replica", auth: auth, logger: logger)
      try await RunningServer.with(
        services: services.rpc, background: services.background, interceptors: services.interceptors, fastRoutes: services.fastRoutes
      ) {
        replica, _ in
        try await withClient(port: replica.grpcPort, token: token) { client in
          _ = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).getPlatformStatus(.init())
        }
        try await withClient(port: port, token: admin) { client in
          let gateway = Mlops_Gateway_V1_GatewayService.Client(wrapping: client)
          let id = try await gateway.listApiKeys(.init()).apiKeys.first { $0.name == "bo" }!.keyID
          _ = try await gateway.revokeApiKey(.with { $0.keyID = id })
        }
        var refused = false
        for _ in 0..<200 where !refused {
          try await withClient(port: replica.grpcPort, token: token) { client in
            do {
              _ = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).getPlatformStatus(.init())
              try await Task.sleep(for: .milliseconds(20))
            } catch let error as RPCError where error.code == .unauthenticated {
              refused = true
            }
          }
        }
        #expect(refused)
      }
    }
  }

  @Test("a key over its rate limit gets RESOURCE_EXHAUSTED with a retry hint, and other keys are not slowed")
  func rateLimit() async throws {
    // 0.2 calls per second, a burst of 1: the second call within 5 s is over the limit, however
    // slowly a loaded machine makes the calls.
    try await withAuthGateway(.sqlite, rateLimit: 0.2) { port, admin, _, _ in
      var other = ""
      try await withClient(port: port, token: admin) { client in
        other = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).createApiKey(
          .with {
            $0.name = "calm"
            $0.role = .viewer
          }
        ).secret
      }
      var limited: RPCError?
      try await withClient(port: port, token: admin) { client in
        let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: client)
        for _ in 0..<40 where limited == nil {
          do { _ = try await tracker.searchExperiments(.init()) } catch let error as RPCError { limited = error }
        }
      }
      let refusal = try #require(limited, "calls in a row exceed a burst of 1")
      #expect(refusal.code == .resourceExhausted && refusal.message.contains("0.2 calls per second"))
      let pushback = refusal.metadata[stringValues: "grpc-retry-pushback-ms"].first(where: { _ in true }).flatMap { Int($0) }
      #expect((pushback ?? 0) > 0 && (pushback ?? 0) <= 5000)
      try await withClient(port: port, token: other) { client in
        _ = try await Mlops_Tracker_V1_TrackerService.Client(wrapping: client).searchExperiments(.init())
      }
    }
  }

  @Test("the admin key is written once with mode 0600, and its secret is stored nowhere but there")
  func secretsStayOut() async throws {
    try await withAuthGateway(.sqlite) { port, admin, storage, file in
      let attributes = try FileManager.default.attributesOfItem(atPath: file)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
      var created = ""
      try await withClient(port: port, token: admin) { client in
        created = try await Mlops_Gateway_V1_GatewayService.Client(wrapping: client).createApiKey(
          .with {
            $0.name = "ci"
            $0.role = .editor
          }
        ).secret
      }
      guard case .sqlite(let database) = storage else { return }
      let directory = (database.path as NSString).deletingLastPathComponent
      for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "admin.key" {
        let bytes = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) ?? Data()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains(admin) && !text.contains(created), "\(name) holds a secret")
      }
    }
  }
}

@Suite("The admin key file")
struct AdminKeyFileTests {
  @Test("a provided admin key is installed once; the manifest's placeholder is refused at start")
  func provided() async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    try await TestBackend.sqlite.withStorage(migrations: GatewaySchema.migrations) { storage in
      let directory = try TemporaryDirectory.make()
      defer { TemporaryDirectory.remove(directory) }
      let file = (directory as NSString).appendingPathComponent("admin.key")
      let token = "mlk_0123456789ab_" + String(repeating: "s", count: 40)
      try (token + "\n").write(toFile: file, atomically: true, encoding: .utf8)
      var options = try ProcessOptions.parse([])
      options.adminKeyFile = file
      options.dataDirectory = directory
      let auth = try await GatewayRuntime.auth(storage: storage, options: options, logger: logger)
      #expect(try auth.ring.verify(token).role == .admin)
      _ = try await GatewayRuntime.auth(storage: storage, options: options, logger: logger)
      #expect(try await auth.keys.list(includeRevoked: true).count == 1, "installed once")
      try "mlk_000000000001_change-me-to-a-long-random-secret\n".write(toFile: file, atomically: true, encoding: .utf8)
      await #expect(throws: StartupError.self) { _ = try await GatewayRuntime.auth(storage: storage, options: options, logger: logger) }
    }
  }
}
