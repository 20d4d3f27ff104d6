import CNGHTTP2
import Foundation

/// nghttp2's callbacks: C function pointers that find their connection through the session's
/// user data, on the connection's own thread.
enum SpikeCallbacks {
  static func connection(_ userData: UnsafeMutableRawPointer?) -> SpikeConnection {
    Unmanaged<SpikeConnection>.fromOpaque(userData!).takeUnretainedValue()
  }

  static func install(_ callbacks: OpaquePointer?) {
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, userData in
      guard let frame, frame.pointee.hd.type == UInt8(NGHTTP2_HEADERS.rawValue),
        frame.pointee.headers.cat.rawValue == NGHTTP2_HCAT_REQUEST.rawValue
      else { return 0 }
      SpikeCallbacks.connection(userData).streams[frame.pointee.hd.stream_id] = SpikeConnection.Stream()
      return 0
    }
    nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, userData in
      guard let frame, let name, let value else { return 0 }
      // Only :path matters here: 5 bytes, compared without building a String for every header.
      if nameLength == 5, name[0] == UInt8(ascii: ":"), name[1] == UInt8(ascii: "p"), name[2] == UInt8(ascii: "a") {
        let path = String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
        SpikeCallbacks.connection(userData).streams[frame.pointee.hd.stream_id]?.path = path
      }
      return 0
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, streamID, data, length, userData in
      guard let data else { return 0 }
      SpikeCallbacks.connection(userData).streams[streamID]?.body.append(contentsOf: UnsafeBufferPointer(start: data, count: length))
      return 0
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, userData in
      guard let frame else { return 0 }
      let type = UInt32(frame.pointee.hd.type)
      let ended = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
      if ended, type == NGHTTP2_DATA.rawValue || type == NGHTTP2_HEADERS.rawValue {
        SpikeCallbacks.connection(userData).answer(frame.pointee.hd.stream_id)
      }
      return 0
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, _, userData in
      SpikeCallbacks.connection(userData).streams[streamID] = nil
      return 0
    }
  }

  /// Copies the answer's bytes out, then ends the stream with its trailers.
  static let readAnswer: nghttp2_data_source_read_callback = { session, streamID, buffer, length, flags, _, userData in
    let connection = SpikeCallbacks.connection(userData)
    guard var stream = connection.streams[streamID], let buffer, let flags else {
      return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue)
    }
    let count = min(length, stream.answer.count - stream.sent)
    stream.answer.withUnsafeBytes { raw in
      UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + stream.sent, byteCount: count)
    }
    stream.sent += count
    if stream.sent == stream.answer.count {
      flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
      let trailers = stream.status == "0" ? SpikeHeaders.ok : SpikeHeaders.unimplemented
      trailers.withUnsafeBufferPointer { _ = nghttp2_submit_trailer(session, streamID, $0.baseAddress, $0.count) }
    }
    connection.streams[streamID] = stream
    return count
  }
}

/// Header blocks built once; nghttp2 neither copies nor frees them.
enum SpikeHeaders {
  static func field(_ name: String, _ value: String) -> nghttp2_nv {
    let flags = NGHTTP2_NV_FLAG_NO_COPY_NAME.rawValue | NGHTTP2_NV_FLAG_NO_COPY_VALUE.rawValue
    return nghttp2_nv(
      name: UnsafeMutableRawPointer(strdup(name)!).assumingMemoryBound(to: UInt8.self),
      value: UnsafeMutableRawPointer(strdup(value)!).assumingMemoryBound(to: UInt8.self),
      namelen: name.utf8.count, valuelen: value.utf8.count, flags: UInt8(flags))
  }

  nonisolated(unsafe) static let response = [field(":status", "200"), field("content-type", "application/grpc")]
  nonisolated(unsafe) static let ok = [field("grpc-status", "0")]
  nonisolated(unsafe) static let unimplemented = [field("grpc-status", "12"), field("grpc-message", "unknown%20method")]
}
