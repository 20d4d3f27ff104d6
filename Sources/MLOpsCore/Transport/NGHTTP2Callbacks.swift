import CNGHTTP2

/// nghttp2's callbacks: C function pointers that find their connection through the session's
/// user data and run on its event loop, inside `mem_recv` or `mem_send`.
enum NGHTTP2Callbacks {
  /// A server session with the callbacks installed, the connection as user data, and
  /// automatic WINDOW_UPDATE off (the connection acknowledges DATA as handlers keep up).
  static func makeSession(userData: UnsafeMutableRawPointer) -> OpaquePointer? {
    var callbacks: OpaquePointer?
    nghttp2_session_callbacks_new(&callbacks)
    defer { nghttp2_session_callbacks_del(callbacks) }
    install(callbacks)
    var option: OpaquePointer?
    nghttp2_option_new(&option)
    defer { nghttp2_option_del(option) }
    nghttp2_option_set_no_auto_window_update(option, 1)
    var session: OpaquePointer?
    nghttp2_session_server_new2(&session, callbacks, userData, option)
    return session
  }

  /// The largest request header list (HTTP/2's accounting: name + value + 32 per field), as
  /// advertised in SETTINGS; grpc-swift-nio-transport's default.
  static let maxHeaderListBytes = 16 << 10

  static func connection(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2Connection {
    Unmanaged<NGHTTP2Connection>.fromOpaque(userData!).takeUnretainedValue()
  }

  private static func isRequest(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
    frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
  }

  private static func install(_ callbacks: OpaquePointer?) {
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
      guard let frame, NGHTTP2Callbacks.isRequest(frame) else { return 0 }
      let connection = NGHTTP2Callbacks.connection(userData)
      let id = frame.pointee.hd.stream_id
      connection.streams[id] = NGHTTP2Stream(id: id, maxMessageBytes: connection.transport.maxMessageBytes)
      return 0
    }
    nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
      guard let frame, let name, let value, NGHTTP2Callbacks.isRequest(frame) else { return 0 }
      guard let stream = NGHTTP2Callbacks.connection(userData).streams[frame.pointee.hd.stream_id] else { return 0 }
      // Bounded as on the NIO transport: a larger header list resets the stream, nothing more.
      stream.headerBytes += nameLength + valueLength + 32
      guard stream.headerBytes <= NGHTTP2Callbacks.maxHeaderListBytes else { return Int32(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
      stream.head.add(
        name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
        value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self))
      return 0
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
      guard let frame else { return 0 }
      let connection = NGHTTP2Callbacks.connection(userData)
      let id = frame.pointee.hd.stream_id
      let type = UInt32(frame.pointee.hd.type)
      if NGHTTP2Callbacks.isRequest(frame), let stream = connection.streams[id] { connection.begin(stream) }
      let ended = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
      if ended, type == NGHTTP2_DATA.rawValue || type == NGHTTP2_HEADERS.rawValue { connection.endRequest(id) }
      return 0
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
      guard let data else { return 0 }
      NGHTTP2Callbacks.connection(userData).receive(streamID, UnsafeRawBufferPointer(start: data, count: length))
      return 0
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
      NGHTTP2Callbacks.connection(userData).streamClosed(streamID, reset: errorCode != NGHTTP2_NO_ERROR.rawValue)
      return 0
    }
  }

  /// The data source of every response: the connection's queued bytes for the stream.
  static let readData: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, userData in
    guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    return NGHTTP2Callbacks.connection(userData).read(streamID, into: buffer, capacity: length, flags: flags)
  }
}
