import CNGHTTP2

/// nghttp2's callbacks for a relay's client sessions: they find their connection through the
/// session's user data and run on its event loop, inside `mem_recv` or `mem_send`.
enum NGHTTP2ClientCallbacks {
  /// A client session with the callbacks installed and the connection as user data.
  static func makeSession(userData: UnsafeMutableRawPointer) -> OpaquePointer? {
    var callbacks: OpaquePointer?
    nghttp2_session_callbacks_new(&callbacks)
    defer { nghttp2_session_callbacks_del(callbacks) }
    install(callbacks)
    var session: OpaquePointer?
    nghttp2_session_client_new(&session, callbacks, userData)
    return session
  }

  static func connection(_ userData: UnsafeMutableRawPointer?) -> NGHTTP2ClientConnection {
    Unmanaged<NGHTTP2ClientConnection>.fromOpaque(userData!).takeUnretainedValue()
  }

  private static func install(_ callbacks: OpaquePointer?) {
    nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
      guard let frame, let name, let value, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue) else { return 0 }
      guard let call = NGHTTP2ClientCallbacks.connection(userData).calls[frame.pointee.hd.stream_id] else { return 0 }
      call.header(
        name: String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self),
        value: String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self),
        ending: frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0)
      return 0
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { session, _, streamID, data, length, userData in
      guard let data, let call = NGHTTP2ClientCallbacks.connection(userData).calls[streamID], call.failure == nil else { return 0 }
      do throws(GRPCMessageDecoder.Failure) {
        try call.decoder.append(UnsafeRawBufferPointer(start: data, count: length)) { message in
          call.messages += 1
          if call.message == nil { call.message = message }
        }
      } catch {
        switch error {
        case .tooLarge(let size):
          // INTERNAL naming the maximum payload size, as grpc-swift's client reports it.
          call.failure = .init(
            code: .internalError,
            message: "the answer of \(size) bytes exceeds the maximum payload size (\(call.decoder.maxMessageBytes) bytes)")
        case .compressed:
          call.failure = .init(code: .internalError, message: "the peer sent a compressed answer to an uncompressed call")
        }
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_CANCEL.rawValue)
      }
      return 0
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
      if let frame, frame.pointee.hd.type == UInt8(NGHTTP2_GOAWAY.rawValue) {
        NGHTTP2ClientCallbacks.connection(userData).goingAway()
      }
      return 0
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, errorCode, userData in
      NGHTTP2ClientCallbacks.connection(userData).streamClosed(streamID, errorCode: errorCode)
      return 0
    }
  }

  /// The data source of every request: the call's framed message, then the end of the stream.
  static let readRequest: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, userData in
    guard let buffer, let flags, let call = NGHTTP2ClientCallbacks.connection(userData).calls[streamID] else {
      return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue)
    }
    let (count, ended) = call.take(into: buffer, capacity: length)
    if ended { flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
    return count
  }
}
