import Logging
import ServiceLifecycle

/// Keeps this replica's online store and definitions current with writes made through other
/// replicas sharing the database: every `tick` it applies the online rows of transactions
/// committed since the last look (by change number) and re-reads the definitions.
public struct FeatureFollower: Service {
  let engine: FeatureEngine
  let tick: Duration

  public init(engine: FeatureEngine, tick: Duration) {
    self.engine = engine
    self.tick = tick
  }

  public func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        try await engine.followChanges()
      } catch {
        engine.logger.warning("following the online table failed; retrying", metadata: ["error": "\(error)"])
      }
      try? await Task.sleep(for: tick)
    }
  }
}
