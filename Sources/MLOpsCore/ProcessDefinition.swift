import GRPCCore
import Logging

/// What makes one platform process: its name, default port, schema, and the services it
/// builds on top of its storage. Each service library publishes one; the executable in
/// `services/<process>` only hands it to ``ProcessRuntime``.
public struct ProcessDefinition: Sendable {
  public var name: String
  public var defaultPort: Int
  public var migrations: [Migration]
  /// Fully qualified gRPC service names, reported by `grpc.health.v1.Health`.
  public var serviceNames: [String]
  public var makeServices:
    @Sendable (_ storage: Storage, _ options: ProcessOptions, _ logger: Logger) async throws ->
      [any RegistrableRPCService]

  public init(
    name: String,
    defaultPort: Int,
    migrations: [Migration],
    serviceNames: [String],
    makeServices: @escaping @Sendable (Storage, ProcessOptions, Logger) async throws -> [any RegistrableRPCService]
  ) {
    self.name = name
    self.defaultPort = defaultPort
    self.migrations = migrations
    self.serviceNames = serviceNames
    self.makeServices = makeServices
  }
}
