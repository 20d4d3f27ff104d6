import Synchronization

/// A first-come first-served lock for async code: one holder at a time, waiters resumed in
/// order, nothing blocks a thread while waiting. Taking a free lock is one mutex operation on
/// the calling thread (no hop to an actor and back), because SQLite takes it for every write.
public final class AsyncLock: Sendable {
  private struct State {
    var held = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }

  private let state = Mutex(State())

  public init() {}

  /// Runs `body` holding the lock.
  public func withLock<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    let taken = state.withLock { state in
      if state.held { return false }
      state.held = true
      return true
    }
    if taken { return }
    await withCheckedContinuation { continuation in
      let owned = state.withLock { state in
        // Released between the two locks: take it now instead of waiting for nobody.
        if !state.held {
          state.held = true
          return true
        }
        state.waiters.append(continuation)
        return false
      }
      if owned { continuation.resume() }
    }
  }

  /// Hands the lock to the first waiter, still held, or frees it.
  private func release() {
    let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
      if state.waiters.isEmpty {
        state.held = false
        return nil
      }
      return state.waiters.removeFirst()
    }
    next?.resume()
  }
}
