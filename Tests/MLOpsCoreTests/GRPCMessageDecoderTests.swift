import Testing

@testable import MLOpsCore

/// The nghttp2 transport's reading of a request body into messages, and its writing of
/// `grpc-message`, byte by byte.
@Suite("gRPC message framing on the nghttp2 transport")
struct GRPCMessageDecoderTests {
  static func decode(_ body: [UInt8], chunk: Int, limit: Int = 1 << 20) throws -> ([[UInt8]], Bool) {
    var decoder = GRPCMessageDecoder(maxMessageBytes: limit)
    var messages: [[UInt8]] = []
    var offset = 0
    while offset < body.count {
      let end = min(body.count, offset + chunk)
      let pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: end - offset, alignment: 1)
      defer { pointer.deallocate() }
      pointer.copyBytes(from: body[offset..<end])
      try decoder.append(UnsafeRawBufferPointer(pointer)) { messages.append($0) }
      offset = end
    }
    return (messages, decoder.isAtBoundary)
  }

  static let body: [UInt8] = [0, 0, 0, 0, 3, 1, 2, 3] + [0, 0, 0, 0, 0] + [0, 0, 0, 0, 1, 9]

  @Test("messages come out whole however the body is split into chunks", arguments: [1, 2, 5, 7, 100])
  func splits(chunk: Int) throws {
    let (messages, atBoundary) = try Self.decode(Self.body, chunk: chunk)
    #expect(messages == [[1, 2, 3], [], [9]])
    #expect(atBoundary)
  }

  @Test("a body cut inside a message is not at a boundary")
  func truncated() throws {
    let (messages, atBoundary) = try Self.decode(Array(Self.body.dropLast()), chunk: 3)
    #expect(messages == [[1, 2, 3], []])
    #expect(!atBoundary)
  }

  @Test("a length prefix over the limit fails before any of the message is buffered")
  func tooLarge() {
    #expect(throws: GRPCMessageDecoder.Failure.tooLarge(0x0100_0000)) {
      _ = try Self.decode([0, 1, 0, 0, 0], chunk: 5, limit: 1 << 20)
    }
  }

  @Test("a compressed message is refused: the only encoding is identity")
  func compressed() {
    #expect(throws: GRPCMessageDecoder.Failure.compressed) { _ = try Self.decode([1, 0, 0, 0, 1, 7], chunk: 6) }
  }

  @Test("grpc-message is percent-encoded: printable ASCII but % as is, the rest as UTF-8 bytes")
  func percentEncoding() {
    #expect(HTTP2HeaderBlock.percentEncoded("café 100% ok\n") == "caf%C3%A9 100%25 ok%0A")
  }

  @Test("-bin request metadata is read as base64 with or without padding")
  func base64() {
    #expect(GRPCRequestHead.base64("AAEC") == [0, 1, 2])
    #expect(GRPCRequestHead.base64("AAE") == [0, 1])
    #expect(GRPCRequestHead.base64("AAE=") == [0, 1])
    #expect(GRPCRequestHead.base64("A") == nil)
  }
}
