import CNGHTTP2
import NIOCore

/// Moving bytes between a NIO channel and an nghttp2 session, the same for the server's
/// connections and the relay's: reads are fed to `mem_recv`, and everything the session has
/// queued is written in one flush.
enum NGHTTP2SessionIO {
  /// Feeds `buffer` to `session`; false when nghttp2 refused it (a malformed frame: the
  /// connection must end).
  static func receive(_ session: OpaquePointer, _ buffer: ByteBuffer) -> Bool {
    buffer.withUnsafeReadableBytes { raw in
      nghttp2_session_mem_recv(session, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count)
    } >= 0
  }

  /// What a send left the session wanting.
  enum Sent {
    /// The session failed; the connection must close.
    case failed
    /// It wants neither to read nor to write any more (after GOAWAY, the last stream done).
    case finished
    case open
  }

  /// Writes everything `session` has queued to `context` in one flush.
  static func send(_ session: OpaquePointer, to context: ChannelHandlerContext) -> Sent {
    var out: ByteBuffer?
    while true {
      var pointer: UnsafePointer<UInt8>?
      let count = nghttp2_session_mem_send(session, &pointer)
      if count < 0 { return .failed }
      guard count > 0, let pointer else { break }
      if out == nil { out = context.channel.allocator.buffer(capacity: max(count, 1024)) }
      out!.writeBytes(UnsafeRawBufferPointer(start: pointer, count: count))
    }
    if let out { context.writeAndFlush(NIOAny(out), promise: nil) }
    return nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0 ? .finished : .open
  }
}
