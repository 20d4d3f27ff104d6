import Logging
import ServiceLifecycle

/// Reloads the key ring every ``KeyRing/refreshInterval`` for as long as the gateway runs.
public struct KeyRingRefresher: Service {
  let ring: KeyRing
  let logger: Logger

  public init(ring: KeyRing, logger: Logger) {
    self.ring = ring
    self.logger = logger
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        try? await Task.sleep(for: KeyRing.refreshInterval)
        // Shutting down cancels the sleep: nothing to reload then, and nothing to warn about.
        guard !Task.isCancelled else { break }
        do { try await ring.refresh() } catch is CancellationError { break } catch {
          logger.warning("cannot reload API keys", metadata: ["error": "\(error)"])
        }
      }
    }
    try? await ring.refresh()  // the last-use times gathered since
  }
}
