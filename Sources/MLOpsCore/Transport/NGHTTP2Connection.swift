import CNGHTTP2
import GRPCCore
import NIOCore

/// One HTTP/2 connection: an nghttp2 server session fed by NIO's reads. nghttp2 does framing,
/// HPACK, flow control and stream state; its callbacks (``NGHTTP2Callbacks``) run synchronously
/// inside `mem_recv`/`mem_send`, on this connection's event loop, like everything here. What
/// nghttp2 emits is written once per read batch, or once per response part from a handler.
final class NGHTTP2Connection: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  let transport: NGHTTP2ServerTransport
  var session: OpaquePointer?
  var streams: [Int32: NGHTTP2Stream] = [:]
  var context: ChannelHandlerContext?
  /// This handler as handlers' writers reach it: bound to the event loop.
  var bound: NIOLoopBound<NGHTTP2Connection>?
  var peers = (remote: "", local: "")
  /// The server's registered methods by `:path`, with their RPC types.
  var descriptors: [String: MethodDescriptor] = [:]
  /// Inside a read batch, writes wait for `channelReadComplete`.
  private var reading = false
  /// A ``flushSoon()`` is queued on the event loop.
  private var flushQueued = false

  init(transport: NGHTTP2ServerTransport) {
    self.transport = transport
  }

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    self.bound = NIOLoopBound(self, eventLoop: context.eventLoop)
    peers = (Self.describe(context.channel.remoteAddress), Self.describe(context.channel.localAddress))
    descriptors = transport.descriptorsByPath
    session = NGHTTP2Callbacks.makeSession(userData: Unmanaged.passUnretained(self).toOpaque())
    var settings = [
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 1024),
      // An 8 MiB window, as on the NIO transport: large uploads never stall on WINDOW_UPDATE.
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 8 << 20),
      nghttp2_settings_entry(
        settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: UInt32(NGHTTP2Callbacks.maxHeaderListBytes)),
    ]
    nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, 32 << 20)
    transport.register(bound!)
    flush()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    closeAllStreams()
    nghttp2_session_del(session)
    session = nil
    self.context = nil
    transport.unregister(ObjectIdentifier(self))
    bound = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    closeAllStreams()
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let session else { return }
    reading = true
    if !NGHTTP2SessionIO.receive(session, unwrapInboundIn(data)) {
      // A malformed preface or frame: nghttp2 has queued its GOAWAY; this connection only ends.
      reading = false
      flush()
      context.close(promise: nil)
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    reading = false
    flush()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }

  /// Writes everything nghttp2 has queued in one flush; closes once nghttp2 wants neither to
  /// read nor to write (after GOAWAY, when the last stream is done).
  func flush() {
    guard !reading, let context, let session else { return }
    switch NGHTTP2SessionIO.send(session, to: context) {
    case .failed, .finished: context.close(promise: nil)
    case .open: break
    }
  }

  /// Flushes once the event loop has run what is queued before it, so that parts handed over
  /// back to back (a message, then the status) leave in one write.
  func flushSoon() {
    guard !flushQueued, let context else { return }
    flushQueued = true
    context.eventLoop.execute { [self] in
      flushQueued = false
      flush()
    }
  }

  /// Stops taking new streams (GOAWAY naming the last one begun); the connection closes when
  /// the streams in flight are done.
  func drain() {
    guard let session else { return }
    nghttp2_submit_goaway(
      session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
      NGHTTP2_NO_ERROR.rawValue, nil, 0)
    flush()
  }

  /// Closes the connection at once (the transport's listen task was cancelled).
  func close() {
    context?.close(promise: nil)
  }

  /// Acknowledges bytes a handler has read (flow control), then sends the WINDOW_UPDATE.
  func consume(_ streamID: Int32, _ count: Int) {
    guard let session else { return }
    nghttp2_session_consume(session, streamID, count)
    flush()
  }

  private func closeAllStreams() {
    for id in Array(streams.keys) { streamClosed(id, reset: true) }
  }

  /// gRPC's peer format: `ipv4:127.0.0.1:5000`, `ipv6:[::1]:5000`.
  static func describe(_ address: SocketAddress?) -> String {
    guard let address, let ip = address.ipAddress, let port = address.port else { return "unknown" }
    switch address {
    case .v6: return "ipv6:[\(ip)]:\(port)"
    default: return "ipv4:\(ip):\(port)"
    }
  }
}
