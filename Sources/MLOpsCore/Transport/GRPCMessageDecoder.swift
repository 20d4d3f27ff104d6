/// Splits a request body into gRPC messages. Each message is a one-byte compression flag, a
/// four-byte big-endian length and that many bytes, and may arrive split across any number of
/// DATA frames, or several may share one. The limit is checked on the length prefix, before a
/// byte of the message is buffered.
struct GRPCMessageDecoder {
  /// Why a body cannot be read as gRPC messages.
  enum Failure: Error, Equatable {
    /// The length prefix announces more than the limit (RESOURCE_EXHAUSTED).
    case tooLarge(Int)
    /// The compression flag is set, though the only encoding accepted is identity.
    case compressed
  }

  let maxMessageBytes: Int
  private var prefix: [UInt8] = []
  private var body: [UInt8] = []
  private var expected = -1

  init(maxMessageBytes: Int) {
    self.maxMessageBytes = maxMessageBytes
  }

  /// True between messages: a body that ends anywhere else was cut short.
  var isAtBoundary: Bool { prefix.isEmpty && expected < 0 }

  /// Feeds one chunk of the body; calls `emit` with every message it completes, in order.
  mutating func append(_ chunk: UnsafeRawBufferPointer, _ emit: ([UInt8]) -> Void) throws(Failure) {
    var offset = 0
    while offset < chunk.count {
      if expected < 0 {
        let take = min(5 - prefix.count, chunk.count - offset)
        prefix.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[offset..<offset + take]))
        offset += take
        guard prefix.count == 5 else { return }
        try beginMessage()
        if expected == 0 {
          expected = -1
          emit([])
        }
      } else {
        let take = min(expected - body.count, chunk.count - offset)
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[offset..<offset + take]))
        offset += take
        if body.count == expected {
          emit(body)
          body = []
          expected = -1
        }
      }
    }
  }

  private mutating func beginMessage() throws(Failure) {
    guard prefix[0] == 0 else { throw .compressed }
    let length = Int(prefix[1]) << 24 | Int(prefix[2]) << 16 | Int(prefix[3]) << 8 | Int(prefix[4])
    guard length <= maxMessageBytes else { throw .tooLarge(length) }
    prefix.removeAll(keepingCapacity: true)
    expected = length
    body.reserveCapacity(length)
  }
}

/// The other direction: messages framed with gRPC's five-byte prefix (uncompressed, big-endian
/// length), and framed bytes handed to nghttp2 from where the last read stopped — the same for a
/// server's responses and the relay's requests.
enum GRPCFraming {
  /// Appends `message` to `buffer` with its prefix.
  static func append(_ message: [UInt8], to buffer: inout [UInt8]) {
    let count = message.count
    buffer.reserveCapacity(buffer.count + count + 5)
    buffer.append(0)
    buffer.append(UInt8(truncatingIfNeeded: count >> 24))
    buffer.append(UInt8(truncatingIfNeeded: count >> 16))
    buffer.append(UInt8(truncatingIfNeeded: count >> 8))
    buffer.append(UInt8(truncatingIfNeeded: count))
    buffer.append(contentsOf: message)
  }

  /// Copies up to `capacity` bytes of `bytes` from `offset` into `destination`; returns how many.
  static func copy(_ bytes: [UInt8], from offset: Int, into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
    let count = min(capacity, bytes.count - offset)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBufferPointer { source in destination.update(from: source.baseAddress! + offset, count: count) }
    return count
  }
}
