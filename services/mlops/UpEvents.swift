import Synchronization
import UnixSignals

/// What `mlops up` waits for once its processes are launched: Ctrl-C or SIGTERM, a child's
/// exit, a restart coming due. One stream the supervisor awaits, instead of a loop that polled
/// a signal latch and the exits every 100 ms.
final class UpEvents: Sendable {
  enum Event: Sendable {
    case stop(UnixSignal)
    case exited(Supervisor.Exit)
    case due(String)
  }

  let stream: AsyncStream<Event>
  private let continuation: AsyncStream<Event>.Continuation
  private let stopped = Mutex(false)

  init() {
    (stream, continuation) = AsyncStream.makeStream()
  }

  /// Feeds `signals` (already trapped, so they no longer end the process) into the stream
  /// until the returned task is cancelled.
  func follow(_ signals: UnixSignalsSequence) -> Task<Void, Never> {
    Task { [self] in
      for await signal in signals {
        stopped.withLock { $0 = true }
        continuation.yield(.stop(signal))
      }
    }
  }

  /// Whether a stop signal arrived: start-up checks it between health probes.
  var stopRequested: Bool { stopped.withLock { $0 } }

  /// Reports a child's exit (from its termination handler).
  func exited(_ exit: Supervisor.Exit) {
    continuation.yield(.exited(exit))
  }

  /// Reports `name` as due for a restart once `delay` has passed.
  func restart(_ name: String, after delay: Duration) {
    Task { [continuation] in
      try? await Task.sleep(for: delay)
      continuation.yield(.due(name))
    }
  }
}
