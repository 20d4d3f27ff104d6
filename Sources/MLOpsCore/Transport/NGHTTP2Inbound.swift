import GRPCCore
import Synchronization

/// A request's parts as the handler reads them, filled on the connection's event loop. It also
/// keeps the stream's flow control: while more than ``highWater`` bytes of whole messages wait
/// unread, the DATA that arrives is not acknowledged to nghttp2 (no WINDOW_UPDATE), so a client
/// uploading faster than its handler reads is held back by HTTP/2 itself; reading them releases
/// the withheld bytes through `release`.
final class NGHTTP2Inbound: AsyncSequence, Sendable {
  typealias Element = RPCRequestPart<[UInt8]>

  /// Queued bytes above which received DATA stops being acknowledged.
  static let highWater = 4 << 20

  private struct State {
    var parts: [Element] = []
    var head = 0
    var waiter: CheckedContinuation<Element?, any Error>?
    var end: Result<Void, RPCError>?
    var queuedBytes = 0
    var withheldBytes = 0
  }

  private let state = Mutex(State())
  private let release: @Sendable (Int) -> Void

  /// - Parameter release: called, off the event loop, with bytes to acknowledge after reads.
  init(release: @escaping @Sendable (Int) -> Void) {
    self.release = release
  }

  /// Queues a part (event loop).
  func deliver(_ part: Element) {
    let waiter = state.withLock { state -> CheckedContinuation<Element?, any Error>? in
      if let waiter = state.waiter {
        state.waiter = nil
        return waiter
      }
      state.parts.append(part)
      if case .message(let bytes) = part { state.queuedBytes += bytes.count + 5 }
      return nil
    }
    waiter?.resume(returning: part)
  }

  /// Whether `count` bytes of DATA just received may be acknowledged now (event loop); when not,
  /// they are acknowledged once the handler has read enough.
  func admit(_ count: Int) -> Bool {
    state.withLock { state in
      guard state.queuedBytes > Self.highWater else { return true }
      state.withheldBytes += count
      return false
    }
  }

  /// The bytes held back so far, now owed to nghttp2's connection window (the stream closed).
  func takeWithheld() -> Int {
    state.withLock { state in
      defer { state.withheldBytes = 0 }
      return state.withheldBytes
    }
  }

  /// Ends the parts: normally, or with the error the handler's next read throws.
  func finish(_ end: Result<Void, RPCError> = .success(())) {
    let waiter = state.withLock { state -> CheckedContinuation<Element?, any Error>? in
      guard state.end == nil else { return nil }
      state.end = end
      defer { state.waiter = nil }
      return state.waiter
    }
    waiter?.resume(with: end.map { nil }.mapError { $0 })
  }

  func next() async throws -> Element? {
    enum Step {
      case part(Element, release: Int)
      case end(Result<Void, RPCError>)
      case wait
    }
    let step = state.withLock { state -> Step in
      if let (part, released) = Self.take(&state) { return .part(part, release: released) }
      if let end = state.end { return .end(end) }
      return .wait
    }
    switch step {
    case .part(let part, let released):
      if released > 0 { release(released) }
      return part
    case .end(let end):
      try end.get()
      return nil
    case .wait:
      return try await waitForPart()
    }
  }

  /// Pops the oldest queued part, with the withheld bytes its reading releases.
  private static func take(_ state: inout State) -> (Element, Int)? {
    guard state.head < state.parts.count else { return nil }
    let part = state.parts[state.head]
    state.head += 1
    if state.head == state.parts.count {
      state.parts.removeAll(keepingCapacity: true)
      state.head = 0
    }
    if case .message(let bytes) = part { state.queuedBytes -= bytes.count + 5 }
    var released = 0
    if state.withheldBytes > 0, state.queuedBytes <= Self.highWater / 2 {
      released = state.withheldBytes
      state.withheldBytes = 0
    }
    return (part, released)
  }

  private func waitForPart() async throws -> Element? {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let ready = state.withLock { state -> (Result<Element?, any Error>, Int)? in
          if let (part, released) = Self.take(&state) { return (.success(part), released) }
          if let end = state.end { return (end.map { nil }.mapError { $0 }, 0) }
          if Task.isCancelled { return (.failure(CancellationError()), 0) }
          state.waiter = continuation
          return nil
        }
        if let (result, released) = ready {
          if released > 0 { release(released) }
          continuation.resume(with: result)
        }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<Element?, any Error>? in
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  struct AsyncIterator: AsyncIteratorProtocol {
    let inbound: NGHTTP2Inbound
    mutating func next() async throws -> Element? { try await inbound.next() }
  }

  func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inbound: self) }
}
