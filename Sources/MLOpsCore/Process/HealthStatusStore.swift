import Synchronization

/// The serving status of a process and of each of its gRPC services, shared by the
/// `grpc.health.v1.Health` service, `/healthz` and the lifecycle (which flips it to
/// NOT_SERVING when shutdown starts, so load balancers drain the process first).
public final class HealthStatusStore: Sendable {
  /// Mirrors `grpc.health.v1.HealthCheckResponse.ServingStatus` without depending on it.
  public enum Status: Sendable, Equatable {
    case serving, notServing
  }

  private struct State {
    var statuses: [String: Status] = [:]
    var watchers: [Int: (service: String, continuation: AsyncStream<Status?>.Continuation)] = [:]
    var nextWatcher = 0
  }

  private let state = Mutex(State())

  /// Starts with the process itself ("") and the given services NOT_SERVING.
  public init(services: [String]) {
    state.withLock { state in
      state.statuses[""] = .notServing
      for service in services { state.statuses[service] = .notServing }
    }
  }

  /// The status of a service ("" is the whole process); nil when the service is not served.
  public func status(of service: String) -> Status? {
    state.withLock { $0.statuses[service] }
  }

  /// Sets every known service, the process included, to `status`.
  public func setAll(_ status: Status) {
    let notify = state.withLock { state in
      for key in state.statuses.keys { state.statuses[key] = status }
      return state.watchers.values
        .filter { state.statuses[$0.service] != nil }
        .map { ($0.continuation, status) }
    }
    for (continuation, status) in notify { continuation.yield(status) }
  }

  /// A stream of the service's status: the current one first, then each change; nil while the
  /// service is unknown.
  public func watch(_ service: String) -> AsyncStream<Status?> {
    let (stream, continuation) = AsyncStream<Status?>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let id = state.withLock { state in
      let id = state.nextWatcher
      state.nextWatcher += 1
      state.watchers[id] = (service, continuation)
      continuation.yield(state.statuses[service])
      return id
    }
    continuation.onTermination = { [weak self] _ in
      _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
    }
    return stream
  }

  /// Ends every watch stream, so Watch calls finish and shutdown can complete.
  public func finishWatchers() {
    let continuations = state.withLock { state in
      let all = state.watchers.values.map(\.continuation)
      state.watchers.removeAll()
      return all
    }
    for continuation in continuations { continuation.finish() }
  }
}
