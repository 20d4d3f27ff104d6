/// A first-come first-served lock for async code: one holder at a time, waiters resumed in
/// order, nothing blocks a thread while waiting.
public actor AsyncLock {
  private var held = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  public init() {}

  /// Runs `body` holding the lock.
  public func withLock<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
    await acquire()
    defer { release() }
    return try await body()
  }

  private func acquire() async {
    guard held else {
      held = true
      return
    }
    await withCheckedContinuation { waiters.append($0) }
  }

  private func release() {
    if waiters.isEmpty {
      held = false
    } else {
      waiters.removeFirst().resume()
    }
  }
}
