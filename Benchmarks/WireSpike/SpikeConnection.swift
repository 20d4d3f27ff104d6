import CNGHTTP2
import NIOCore

/// One HTTP/2 connection: an nghttp2 server session fed by NIO reads. Everything runs on the
/// connection's event loop: nghttp2 calls back synchronously from `mem_recv` and `mem_send`.
final class SpikeConnection: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  /// A request being received, then its answer being sent.
  struct Stream {
    var path = ""
    var body: [UInt8] = []
    var answer: [UInt8] = []
    var sent = 0
    var status = "0"
  }

  private(set) var session: OpaquePointer?
  var streams: [Int32: Stream] = [:]

  func handlerAdded(context: ChannelHandlerContext) {
    var callbacks: OpaquePointer?
    nghttp2_session_callbacks_new(&callbacks)
    defer { nghttp2_session_callbacks_del(callbacks) }
    SpikeCallbacks.install(callbacks)
    nghttp2_session_server_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
    var settings = [
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: 100),
      nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: 8 << 20),
    ]
    nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
    send(context)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    nghttp2_session_del(session)
    session = nil
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let buffer = unwrapInboundIn(data)
    let consumed = buffer.withUnsafeReadableBytes { raw in
      nghttp2_session_mem_recv(session, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count)
    }
    // A malformed preface or frame closes this connection only.
    if consumed < 0 { context.close(promise: nil) }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    send(context)
  }

  /// Writes everything nghttp2 has queued (answers, SETTINGS acks, WINDOW_UPDATEs) in one flush.
  func send(_ context: ChannelHandlerContext) {
    var out: ByteBuffer?
    while true {
      var pointer: UnsafePointer<UInt8>?
      let count = nghttp2_session_mem_send(session, &pointer)
      guard count > 0, let pointer else { break }
      if out == nil { out = context.channel.allocator.buffer(capacity: 512) }
      out!.writeBytes(UnsafeRawBufferPointer(start: pointer, count: count))
    }
    if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
    if nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0 { context.close(promise: nil) }
  }

  /// A request has ended: answers Health/Check with SERVING, anything else with UNIMPLEMENTED.
  func answer(_ streamID: Int32) {
    guard var stream = streams[streamID] else { return }
    if stream.path == "/grpc.health.v1.Health/Check" {
      stream.answer = [0, 0, 0, 0, 2, 0x08, 0x01]  // HealthCheckResponse{status: SERVING}
    } else {
      stream.status = "12"
    }
    streams[streamID] = stream
    var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: SpikeCallbacks.readAnswer)
    SpikeHeaders.response.withUnsafeBufferPointer { headers in
      _ = nghttp2_submit_response(session, streamID, headers.baseAddress, headers.count, &provider)
    }
  }
}
