import GRPCCore
import Synchronization

/// What a handler's writer and the event loop share about one response: metadata written but
/// not yet sent (it leaves with the first message or the status, saving a hop), the bytes
/// queued for nghttp2 but not yet framed, and whether the stream can still be written. A writer
/// waits while more than ``highWater`` bytes are queued, so a fast producer streaming to a slow
/// client is held back instead of filling memory.
final class NGHTTP2OutboundFlow: Sendable {
  static let highWater = 1 << 20

  private struct State {
    var metadata: Metadata?
    var queued = 0
    var waiter: CheckedContinuation<Void, any Error>?
    var statusWritten = false
    var closed = false
  }

  private let state = Mutex(State())

  init() {}

  /// Keeps the response metadata until the first message or the status.
  func hold(_ metadata: Metadata) throws {
    try state.withLock { state in
      guard !state.closed, !state.statusWritten else { throw Self.closedError }
      state.metadata = metadata
    }
  }

  /// Accounts for a message about to be queued; returns the held metadata and whether the
  /// writer must wait for the queue to drain.
  func queue(_ bytes: Int) throws -> (metadata: Metadata?, mustWait: Bool) {
    try state.withLock { state in
      guard !state.closed, !state.statusWritten else { throw Self.closedError }
      state.queued += bytes
      defer { state.metadata = nil }
      return (state.metadata, state.queued > Self.highWater)
    }
  }

  /// Marks the status written; returns the held metadata, or nil if the stream is gone.
  func finishWriting() -> (metadata: Metadata?, open: Bool) {
    state.withLock { state in
      guard !state.closed, !state.statusWritten else { return (nil, false) }
      state.statusWritten = true
      defer { state.metadata = nil }
      return (state.metadata, true)
    }
  }

  /// Waits until the queue has drained below half the high-water mark, or the stream closed.
  func waitForDrain() async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
      let ready = state.withLock { state -> Result<Void, any Error>? in
        if state.closed { return .failure(Self.closedError) }
        if state.queued <= Self.highWater / 2 { return .success(()) }
        state.waiter = continuation
        return nil
      }
      if let ready { continuation.resume(with: ready) }
    }
  }

  /// Records bytes handed to nghttp2 (event loop), waking a waiting writer when drained.
  func sent(_ bytes: Int) {
    let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      state.queued -= bytes
      guard state.queued <= Self.highWater / 2 else { return nil }
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume()
  }

  /// The stream is gone (event loop): later writes fail, a waiting writer is woken.
  func close() {
    let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
      state.closed = true
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(throwing: Self.closedError)
  }

  static let closedError = RPCError(code: .cancelled, message: "the stream was closed before the response was written")
}
