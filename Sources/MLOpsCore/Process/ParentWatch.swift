import Foundation
import Logging
import ServiceLifecycle

/// Ends the process gracefully when the launcher that started it (`mlops up`) is gone, so a
/// killed launcher does not leave six orphans holding the platform's ports. Returning from
/// `run` makes the service group drain and stop.
public struct ParentWatch: Service {
  let parent: Int32
  let logger: Logger
  let interval: Duration

  public init(parent: Int32, logger: Logger, interval: Duration = .milliseconds(250)) {
    self.parent = parent
    self.logger = logger
    self.interval = interval
  }

  public func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      if getppid() != parent {
        logger.warning("the launcher (pid \(parent)) is gone; shutting down")
        return
      }
      try? await Task.sleep(for: interval)
    }
  }
}
