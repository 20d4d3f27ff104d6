import CNGHTTP2
import GRPCCore

/// A header block to submit to nghttp2: fields kept as one byte buffer and handed over as the
/// `nghttp2_nv` array nghttp2 copies during the submit call.
struct HTTP2HeaderBlock {
  private var bytes: [UInt8] = []
  private var fields: [(name: Int, nameLength: Int, value: Int, valueLength: Int)] = []

  init() {}

  /// Adds a field; names are lower-cased, and a value HTTP/2 cannot carry is dropped rather than
  /// sent as a frame the client would reject.
  mutating func add(_ name: String, _ value: String) {
    guard value.utf8.allSatisfy({ $0 == 0x09 || (0x20...0x7E).contains($0) || $0 >= 0x80 }) else { return }
    let nameStart = bytes.count
    bytes.append(contentsOf: name.lowercased().utf8)
    let valueStart = bytes.count
    bytes.append(contentsOf: value.utf8)
    fields.append((nameStart, valueStart - nameStart, valueStart, bytes.count - valueStart))
  }

  /// Adds metadata: binary values base64-encoded (GRPCCore's `encoded()`) under their `-bin` keys.
  mutating func add(_ metadata: some Sequence<Metadata.Element>) {
    for (key, value) in metadata { add(key, value.encoded()) }
  }

  /// Runs `body` with the fields as nghttp2 takes them, valid only during the call (nghttp2
  /// copies them and never writes through the pointers).
  func withFields<R>(_ body: (UnsafePointer<nghttp2_nv>?, Int) -> R) -> R {
    bytes.withUnsafeBufferPointer { buffer in
      guard let start = buffer.baseAddress else { return body(nil, 0) }
      let base = UnsafeMutablePointer(mutating: start)
      let flags = UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
      return withUnsafeTemporaryAllocation(of: nghttp2_nv.self, capacity: fields.count) { list in
        for (index, field) in fields.enumerated() {
          list.initializeElement(
            at: index,
            to: nghttp2_nv(
              name: base + field.name, value: base + field.value, namelen: field.nameLength, valuelen: field.valueLength,
              flags: flags))
        }
        return body(UnsafePointer(list.baseAddress), fields.count)
      }
    }
  }

  /// The response's first HEADERS: status 200, gRPC's content type, the handler's metadata.
  static func response(_ metadata: Metadata) -> HTTP2HeaderBlock {
    if metadata.isEmpty { return plainResponse }
    var block = HTTP2HeaderBlock()
    block.add(":status", "200")
    block.add("content-type", "application/grpc")
    block.add(metadata.filter { !Self.reserved.contains($0.key) })
    return block
  }

  /// A status as trailers, or as a Trailers-Only response when `trailersOnly`.
  static func trailers(_ status: Status, _ metadata: Metadata, trailersOnly: Bool) -> HTTP2HeaderBlock {
    if !trailersOnly, status.code == .ok, status.message.isEmpty, metadata.isEmpty { return okTrailers }
    var block = HTTP2HeaderBlock()
    if trailersOnly {
      block.add(":status", "200")
      block.add("content-type", "application/grpc")
    }
    block.add("grpc-status", String(status.code.rawValue))
    if !status.message.isEmpty { block.add("grpc-message", percentEncoded(status.message)) }
    block.add(metadata.filter { !Self.reserved.contains($0.key) })
    return block
  }

  /// The blocks of most responses, built once.
  static let plainResponse: HTTP2HeaderBlock = {
    var block = HTTP2HeaderBlock()
    block.add(":status", "200")
    block.add("content-type", "application/grpc")
    return block
  }()
  static let okTrailers: HTTP2HeaderBlock = {
    var block = HTTP2HeaderBlock()
    block.add("grpc-status", "0")
    return block
  }()

  /// Fields the transport writes itself; a handler's metadata never overrides them.
  static let reserved: Set<String> = [":status", "content-type", "grpc-status", "grpc-message", "te", "content-length"]

  /// gRPC's percent-encoding of `grpc-message`: printable ASCII but `%` as is, the rest `%XX`
  /// of its UTF-8 bytes.
  static func percentEncoded(_ message: String) -> String {
    var out = ""
    out.reserveCapacity(message.utf8.count)
    for byte in message.utf8 {
      if (0x20...0x7E).contains(byte), byte != UInt8(ascii: "%") {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return out
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
