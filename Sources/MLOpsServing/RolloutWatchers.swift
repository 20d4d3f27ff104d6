import Foundation
import Synchronization

/// The open WatchRollout streams per deployment: each sees every published state, and ends
/// when the rollout does (promoted, rolled back, stable) or the deployment is deleted.
final class RolloutWatchers: Sendable {
  private let streams = Mutex<[String: [UUID: AsyncStream<RolloutState>.Continuation]]>([:])

  /// A stream that starts with `current` and follows the deployment's rollout.
  func watch(_ current: RolloutState) -> AsyncStream<RolloutState> {
    let (stream, continuation) = AsyncStream.makeStream(of: RolloutState.self, bufferingPolicy: .bufferingNewest(64))
    continuation.yield(current)
    if current.phase.isFinal {
      continuation.finish()
      return stream
    }
    let id = UUID()
    streams.withLock { $0[current.deployment, default: [:]][id] = continuation }
    continuation.onTermination = { [weak self] _ in
      _ = self?.streams.withLock { $0[current.deployment]?.removeValue(forKey: id) }
    }
    return stream
  }

  /// Sends `state` to the deployment's watchers; a final state ends their streams.
  func publish(_ state: RolloutState) {
    let continuations = streams.withLock { all in
      let found = Array((all[state.deployment] ?? [:]).values)
      if state.phase.isFinal { all.removeValue(forKey: state.deployment) }
      return found
    }
    for continuation in continuations {
      continuation.yield(state)
      if state.phase.isFinal { continuation.finish() }
    }
  }

  /// Ends every stream of a deployment that no longer exists.
  func finish(_ deployment: String) {
    let continuations = streams.withLock { $0.removeValue(forKey: deployment).map { Array($0.values) } ?? [] }
    for continuation in continuations { continuation.finish() }
  }
}
