import GRPCCore

/// One request and its response on a connection, touched only on the connection's event loop:
/// the request head until it is dispatched, the body's decoder, the handler's side of the
/// stream, and the response bytes waiting for nghttp2 to frame them.
final class NGHTTP2Stream {
  let id: Int32
  var head = GRPCRequestHead()
  /// The request header list's size so far, for its limit.
  var headerBytes = 0
  var decoder: GRPCMessageDecoder

  /// The handler's view, once dispatched to GRPCCore.
  var inbound: NGHTTP2Inbound?
  var flow: NGHTTP2OutboundFlow?
  var control: NGHTTP2StreamControl?

  /// A fast route answers on the event loop once the request has ended.
  var fastRoute: FastUnaryRoute?
  var fastRequest: [[UInt8]] = []
  /// What a pending fast route asked to run if the client cancels before it answers (a relayed
  /// call resets its upstream stream).
  var whenCancelled: (() -> Void)?

  /// Received DATA is acknowledged and dropped: the request was answered or refused.
  var discarding = false
  var requestEnded = false

  /// Response bytes (length-prefixed messages) not yet framed, read from `pendingOffset`.
  var pending: [UInt8] = []
  var pendingOffset = 0
  /// HEADERS submitted; trailers waiting for the queued DATA; everything handed to nghttp2.
  var responseStarted = false
  var trailers: HTTP2HeaderBlock?
  var responseEnded = false

  init(id: Int32, maxMessageBytes: Int) {
    self.id = id
    self.decoder = GRPCMessageDecoder(maxMessageBytes: maxMessageBytes)
  }

  /// Queues one message with its five-byte prefix.
  func queue(_ message: [UInt8]) {
    GRPCFraming.append(message, to: &pending)
  }

  /// Copies up to `capacity` queued bytes into `buffer`; returns how many.
  func take(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
    let count = GRPCFraming.copy(pending, from: pendingOffset, into: buffer, capacity: capacity)
    guard count > 0 else { return 0 }
    pendingOffset += count
    if pendingOffset == pending.count {
      pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
      pendingOffset = 0
    }
    return count
  }

  var hasPending: Bool { pendingOffset < pending.count }
}
