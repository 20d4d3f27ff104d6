import Logging
import NIOCore
import NIOPosix

/// Starts a process from its definition and options: checks its ports are free, opens and
/// migrates storage, builds its services and serves until SIGTERM/SIGINT, then drains.
public struct ProcessRuntime: Sendable {
  public let definition: ProcessDefinition
  public let options: ProcessOptions

  public init(definition: ProcessDefinition, options: ProcessOptions) {
    self.definition = definition
    self.options = options
  }

  /// The gRPC port to bind: the flag, or the process's default.
  public var grpcPort: Int { options.port ?? definition.defaultPort }

  /// The HTTP port: the flag, or gRPC + 1000 (0 stays 0: any free port).
  public var httpPort: Int { options.httpPort ?? (grpcPort == 0 ? 0 : grpcPort + 1000) }

  public func run() async throws {
    MemoryTuning.apply()
    let logger = Logger.process(definition.name, level: options.logLevel)
    try await Self.checkPortFree(host: options.host, port: grpcPort, what: "gRPC")
    try await Self.checkPortFree(host: options.host, port: httpPort, what: "HTTP")
    try await Storage.with(
      process: definition.name, options: options, migrations: definition.migrations, logger: logger
    ) { storage in
      let metrics = RPCMetrics()
      let services = try await definition.makeServices(storage, options, metrics.registry, logger)
      let server = PlatformServer(
        host: options.host, grpcPort: grpcPort, httpPort: httpPort, transport: options.server.transport, services: services.rpc,
        serviceNames: definition.serviceNames, interceptors: services.interceptors, fastRoutes: services.fastRoutes,
        httpRoutes: services.httpRoutes,
        background: services.background,
        parentPID: options.parentPID,
        shutdownGrace: .milliseconds(Int64(options.shutdownGraceSeconds * 1000)), metrics: metrics, logger: logger)
      logger.info("starting", metadata: ["storage": "\(storage.location)"])
      try await server.run()
      logger.info("stopped")
    }
  }

  /// Fails with one line when the port cannot be bound, before anything is created on disk.
  public static func checkPortFree(host: String, port: Int, what: String) async throws {
    guard port != 0 else { return }
    do {
      let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .bind(host: host, port: port).get()
      try await channel.close()
    } catch {
      throw StartupError(binding: error, host: host, port: port, what: what)
    }
  }
}
