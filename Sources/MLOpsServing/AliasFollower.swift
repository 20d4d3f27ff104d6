import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto
import ServiceLifecycle

/// Keeps variants given by alias on the version the alias names: it follows the registry's
/// WatchModelEvents and, each time the stream (re)opens — at start-up, after a registry
/// outage — compares every alias with what is served, so a move made while the router was not
/// listening is caught up too.
public struct AliasFollower: Service {
  let engine: RouterEngine
  let peer: GRPCClientService
  let logger: Logger
  let retry: Duration

  public init(engine: RouterEngine, peer: GRPCClientService, logger: Logger, retry: Duration = .seconds(1)) {
    self.engine = engine
    self.peer = peer
    self.logger = logger
    self.retry = retry
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do {
          try await follow()
        } catch {
          logger.debug("model events interrupted", metadata: ["error": "\(error)"])
        }
        try? await Task.sleep(for: retry)
      }
    }
  }

  private func follow() async throws {
    let registry = Mlops_Registry_V1_RegistryService.Client(wrapping: peer.client)
    var options = CallOptions.defaults
    options.waitForReady = false
    try await registry.watchModelEvents(.with { $0.afterSequence = 0 }, options: options) { response in
      // The stream is open: what moved before it opened is caught up now, later moves arrive.
      await engine.followAliases()
      for try await event in response.messages where event.type == .aliasSet || event.type == .aliasDeleted {
        await engine.followAliases(model: event.modelName, alias: event.alias)
      }
    }
  }
}
