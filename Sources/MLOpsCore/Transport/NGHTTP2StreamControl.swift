import GRPCCore
import Synchronization

/// Links a stream's fate on the event loop to its handler's task: a RST_STREAM or a lost
/// connection cancels the RPC through GRPCCore's cancellation handle, even when it arrives
/// before the handler's task has attached the handle.
final class NGHTTP2StreamControl: Sendable {
  private let state = Mutex<(handle: ServerContext.RPCCancellationHandle?, cancelled: Bool)>((nil, false))

  init() {}

  /// Called by the handler's task once the handle exists.
  func attach(_ handle: ServerContext.RPCCancellationHandle) {
    let cancelled = state.withLock { state in
      state.handle = handle
      return state.cancelled
    }
    if cancelled { handle.cancel() }
  }

  /// Cancels the RPC (event loop).
  func cancel() {
    let handle = state.withLock { state in
      state.cancelled = true
      return state.handle
    }
    handle?.cancel()
  }
}
