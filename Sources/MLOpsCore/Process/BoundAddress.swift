import Synchronization

/// A port that becomes known once a listener binds: tests and `mlops up` start processes on
/// port 0 and need to learn where they ended up.
final class BoundAddress: Sendable {
  private enum State {
    case waiting([CheckedContinuation<Int, any Error>])
    case bound(Int)
    case failed(any Error)
  }

  private let state = Mutex(State.waiting([]))

  init() {}

  var value: Int? {
    state.withLock { if case .bound(let port) = $0 { return port } else { return nil } }
  }

  func resolve(_ port: Int) { finish(.success(port)) }
  func fail(_ error: any Error) { finish(.failure(error)) }

  private func finish(_ result: Result<Int, any Error>) {
    let waiters: [CheckedContinuation<Int, any Error>] = state.withLock { state in
      guard case .waiting(let waiters) = state else { return [] }
      switch result {
      case .success(let port): state = .bound(port)
      case .failure(let error): state = .failed(error)
      }
      return waiters
    }
    for waiter in waiters { waiter.resume(with: result) }
  }

  func port() async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
      let ready: Result<Int, any Error>? = state.withLock { state in
        switch state {
        case .waiting(var waiters):
          waiters.append(continuation)
          state = .waiting(waiters)
          return nil
        case .bound(let port): return .success(port)
        case .failed(let error): return .failure(error)
        }
      }
      if let ready { continuation.resume(with: ready) }
    }
  }
}
