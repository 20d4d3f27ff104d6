import CNGHTTP2
import GRPCCore
import NIOCore

/// One HTTP/2 connection to a peer, as a client: an nghttp2 client session fed by NIO's reads,
/// carrying many unary calls at once. Everything runs on the connection's event loop, the loop
/// of the server connections whose calls it relays, so a relayed call hops no thread.
final class NGHTTP2ClientConnection: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  /// The `:authority` of every request.
  let authority: String
  let maxMessageBytes: Int
  var session: OpaquePointer?
  var calls: [Int32: NGHTTP2ClientCall] = [:]
  private var context: ChannelHandlerContext?
  private var reading = false
  /// Told once when this connection can take no more calls (GOAWAY, closed, failed).
  var onUnusable: (() -> Void)?
  /// The peer sent GOAWAY or the connection closed: new calls go elsewhere.
  private(set) var usable = true

  init(authority: String, maxMessageBytes: Int) {
    self.authority = authority
    self.maxMessageBytes = maxMessageBytes
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    if context.channel.isActive { start() }
  }

  func channelActive(context: ChannelHandlerContext) {
    start()
    context.fireChannelActive()
  }

  /// Opens the session once connected: SETTINGS (no push, an 8 MiB window) and a 32 MiB
  /// connection window, as the server side offers.
  private func start() {
    guard session == nil else { return }
    session = NGHTTP2ClientCallbacks.makeSession(userData: Unmanaged.passUnretained(self).toOpaque())
    var settings = [
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 8 << 20),
    ]
    nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 32 << 20)
    flush()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    failAll("the connection to the peer closed")
    nghttp2_session_del(session)
    session = nil
    self.context = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    failAll("the connection to the peer closed")
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let session else { return }
    reading = true
    if !NGHTTP2SessionIO.receive(session, unwrapInboundIn(data)) {
      reading = false
      failAll("the peer sent a malformed HTTP/2 frame")
      context.close(promise: nil)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    reading = false
    flush()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    failAll("the connection to the peer failed: \(error)")
    context.close(promise: nil)
  }

  /// Sends one unary call: `path`, the caller's metadata, the message; `completion` runs on
  /// this loop with the peer's answer, or with DEADLINE_EXCEEDED after `timeout`. Returns the
  /// call's stream id (for ``cancel(_:)``), or nil when it failed at once.
  @discardableResult
  func submit(
    path: String, metadata: Metadata, message: [UInt8], timeout: Duration?, completion: @escaping (NGHTTP2ClientCall.Outcome) -> Void
  ) -> Int32? {
    let call = NGHTTP2ClientCall(message: message, maxMessageBytes: maxMessageBytes, completion: completion)
    guard let session, usable, let context else {
      call.finish(error: RPCError(code: .unavailable, message: "the connection to the peer is closed"))
      return nil
    }
    var block = HTTP2HeaderBlock()
    block.add(":method", "POST")
    block.add(":scheme", "http")
    block.add(":path", path)
    block.add(":authority", authority)
    block.add("content-type", "application/grpc")
    block.add("te", "trailers")
    if let timeout { block.add("grpc-timeout", GRPCTimeout.encode(timeout)) }
    block.add(metadata)
    var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: NGHTTP2ClientCallbacks.readRequest)
    let id = block.withFields { nghttp2_submit_request(session, nil, $0, $1, &provider, nil) }
    guard id > 0 else {
      call.finish(error: RPCError(code: .unavailable, message: "the peer's connection takes no more calls"))
      return nil
    }
    calls[id] = call
    if let timeout {
      call.deadline = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [weak self] in self?.expire(id, after: timeout) }
    }
    flush()
    return id
  }

  /// The caller gave up on call `id`: the peer's stream is reset (so its handler is
  /// cancelled) and the call completes as CANCELLED. Nothing happens once it has completed.
  func cancel(_ id: Int32) {
    guard let call = calls.removeValue(forKey: id) else { return }
    call.deadline?.cancel()
    call.deadline = nil
    if let session { nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_CANCEL.rawValue) }
    call.finish(error: RPCError(code: .cancelled, message: "the caller cancelled the call"))
    flush()
  }

  /// The call's deadline passed: the stream is reset and the caller told.
  private func expire(_ id: Int32, after timeout: Duration) {
    guard let call = calls.removeValue(forKey: id) else { return }
    call.deadline = nil
    nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_CANCEL.rawValue)
    call.finish(error: RPCError(code: .deadlineExceeded, message: "the peer did not answer within \(timeout)"))
    flush()
  }

  /// The stream ended: the call completes with what it read.
  func streamClosed(_ id: Int32, errorCode: UInt32) {
    guard let call = calls.removeValue(forKey: id) else { return }
    let reason =
      errorCode == NGHTTP2_REFUSED_STREAM.rawValue ? "refused the call (it is shutting down)" : "reset the call (HTTP/2 error \(errorCode))"
    call.finish(error: errorCode == NGHTTP2_NO_ERROR.rawValue ? nil : RPCError(code: .unavailable, message: "the peer \(reason)"))
  }

  /// The peer sent GOAWAY: calls it took finish; new ones go to another connection.
  func goingAway() {
    markUnusable()
  }

  private func markUnusable() {
    guard usable else { return }
    usable = false
    onUnusable?()
    onUnusable = nil
  }

  private func failAll(_ reason: String) {
    markUnusable()
    let failed = calls
    calls = [:]
    for call in failed.values { call.finish(error: RPCError(code: .unavailable, message: reason)) }
  }

  /// Sends GOAWAY: the connection closes once the calls it carries are answered.
  func drain() {
    markUnusable()
    guard let session else { return }
    nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, NGHTTP2_NO_ERROR.rawValue, nil, 0)
    flush()
  }

  /// Closes the connection (the relay is shutting down).
  func close() {
    markUnusable()
    context?.close(promise: nil)
  }

  /// Writes everything nghttp2 has queued; closes once nghttp2 wants neither to read nor write.
  func flush() {
    guard !reading, let context, let session else { return }
    switch NGHTTP2SessionIO.send(session, to: context) {
    case .failed:
      failAll("the HTTP/2 session failed")
      context.close(promise: nil)
    case .finished:
      markUnusable()
      context.close(promise: nil)
    case .open: break
    }
  }
}
