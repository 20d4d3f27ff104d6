import CNGHTTP2
import GRPCCore
import NIOCore

/// The response side of a stream: handler parts into nghttp2's queue, nghttp2 pulling DATA
/// through ``read(_:into:capacity:flags:)``, and the stream's end.
extension NGHTTP2Connection {
  /// Queues a response message, sending the response HEADERS first if not yet sent.
  func sendMessage(_ streamID: Int32, metadata: Metadata?, _ bytes: [UInt8]) {
    queueMessage(streamID, metadata: metadata, bytes)
    flush()
  }

  /// Queues a response message without writing it, so that a whole answer (HEADERS, DATA and
  /// trailers) leaves in one socket write: a write per part costs the peer a wake-up each.
  func queueMessage(_ streamID: Int32, metadata: Metadata?, _ bytes: [UInt8]) {
    guard let session, let stream = streams[streamID], !stream.responseEnded, stream.trailers == nil else { return }
    if !stream.responseStarted { startResponse(stream, metadata ?? [:]) }
    stream.queue(bytes)
    nghttp2_session_resume_data(session, streamID)
  }

  /// Ends the response with its status: as trailers after the queued DATA, or, when nothing was
  /// sent, as a Trailers-Only HEADERS frame.
  func sendStatus(_ streamID: Int32, metadata: Metadata?, _ status: Status, _ trailers: Metadata) {
    guard let session, let stream = streams[streamID], !stream.responseEnded, stream.trailers == nil else { return }
    if !stream.responseStarted, metadata == nil {
      stream.responseStarted = true
      stream.responseEnded = true
      HTTP2HeaderBlock.trailers(status, trailers, trailersOnly: true).withFields {
        _ = nghttp2_submit_response(session, streamID, $0, $1, nil)
      }
    } else {
      if !stream.responseStarted { startResponse(stream, metadata ?? [:]) }
      stream.trailers = HTTP2HeaderBlock.trailers(status, trailers, trailersOnly: false)
      nghttp2_session_resume_data(session, streamID)
    }
    flush()
  }

  private func startResponse(_ stream: NGHTTP2Stream, _ metadata: Metadata) {
    stream.responseStarted = true
    var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: NGHTTP2Callbacks.readData)
    HTTP2HeaderBlock.response(metadata).withFields {
      _ = nghttp2_submit_response(session, stream.id, $0, $1, &provider)
    }
  }

  /// nghttp2 asks for up to `capacity` bytes of DATA: queued bytes, then, once drained and the
  /// status is known, the end of DATA with the trailers; otherwise it waits (deferred) until
  /// `resume_data`.
  func read(_ streamID: Int32, into buffer: UnsafeMutablePointer<UInt8>, capacity: Int, flags: UnsafeMutablePointer<UInt32>) -> Int {
    guard let stream = streams[streamID] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
    let count = stream.take(into: buffer, capacity: capacity)
    if count > 0 { stream.flow?.sent(count) }
    if !stream.hasPending, let trailers = stream.trailers {
      flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue | NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
      trailers.withFields { _ = nghttp2_submit_trailer(session, streamID, $0, $1) }
      stream.trailers = nil
      stream.responseEnded = true
      return count
    }
    return count > 0 ? count : Int(NGHTTP2_ERR_DEFERRED.rawValue)
  }

  /// The stream is closed (both ends done, reset by either side, or the connection lost). A
  /// handler still running is cancelled; its writes fail from here on.
  func streamClosed(_ streamID: Int32, reset: Bool) {
    guard let stream = streams.removeValue(forKey: streamID) else { return }
    if !stream.responseEnded || reset { stream.control?.cancel() }
    if !stream.responseEnded, let cancel = stream.whenCancelled {
      stream.whenCancelled = nil
      cancel()
    }
    stream.flow?.close()
    if let inbound = stream.inbound {
      inbound.finish(.failure(RPCError(code: .cancelled, message: "the client cancelled the call (stream reset)")))
      let withheld = inbound.takeWithheld()
      if withheld > 0, let session { nghttp2_session_consume_connection(session, withheld) }
    }
  }
}
