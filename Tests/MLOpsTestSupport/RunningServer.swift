import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import ServiceLifecycle

/// A ``PlatformServer`` on loopback with free ports, for tests that call services through a
/// real gRPC client and scrape the real `/metrics`.
public struct RunningServer: Sendable {
  public let server: PlatformServer
  public let grpcPort: Int
  public let httpPort: Int

  /// Starts `services`, runs `body` with the server and a connected client, then shuts the
  /// server down gracefully and waits for it to stop.
  public static func with(
    services: [any RegistrableRPCService],
    serviceNames: [String] = [],
    background: [any Service] = [],
    interceptors: [any ServerInterceptor] = [],
    fastRoutes: [FastUnaryRoute] = [],
    httpRoutes: [any HTTPRouteProvider] = [],
    metrics: RPCMetrics = RPCMetrics(),
    _ body: (RunningServer, GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Void
  ) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let server = PlatformServer(
      host: "127.0.0.1", grpcPort: 0, httpPort: 0, transport: .fromEnvironment(ProcessInfo.processInfo.environment), services: services,
      serviceNames: serviceNames,
      interceptors: interceptors, fastRoutes: fastRoutes, httpRoutes: httpRoutes, background: background, signals: [], metrics: metrics,
      logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      let running = RunningServer(
        server: server, grpcPort: try await server.grpc.boundPort(),
        httpPort: try await server.http.boundPort())
      do {
        try await withGRPCClient(
          transport: try .http2NIOPosix(
            target: .ipv4(address: "127.0.0.1", port: running.grpcPort),
            transportSecurity: .plaintext)
        ) { client in
          try await body(running, client)
        }
        await server.shutdown()
        try await group.waitForAll()
      } catch {
        // Drain as on success: cancelling the group instead left the server's services past
        // ServiceGroup's cancellation deadline, which traps and hid the test's own failure.
        await server.shutdown()
        try? await group.waitForAll()
        throw error
      }
    }
  }

  /// GETs a path of the HTTP listener; returns status and body.
  public func httpGet(_ path: String) async throws -> (status: Int, body: String) {
    try await HTTPGet.fetch(host: "127.0.0.1", port: httpPort, path: path)
  }
}
