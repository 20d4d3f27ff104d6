import GRPCCore

/// Where ``WireVisitor`` puts a message's bytes. Encoding runs twice over the message: a
/// measuring pass records the length of every length-delimited value once, then a writing pass
/// writes the bytes using those lengths. SwiftProtobuf instead re-measures a nested message at
/// every level it is nested in, which made encoding SearchRuns' 500 runs cost more than reading
/// them from SQLite. One concrete type with a mode flag rather than two conformances of a
/// protocol: the generated `traverse` is not specialized for our visitor, so a protocol here
/// made every byte an indirect call (measured: point-in-time join streams 8% slower).
struct WireSink {
  /// True in the measuring pass, false in the writing pass.
  let measuring: Bool
  /// Bytes so far (measuring) or the write position (writing).
  private(set) var count = 0
  /// Lengths of the length-delimited values in the order both passes meet them.
  private(set) var lengths: [Int]
  private let base: UnsafeMutableRawPointer?
  private var next = 0

  /// The measuring pass.
  init() {
    measuring = true
    lengths = []
    base = nil
  }

  /// The writing pass, into `base`, exactly as large as the measuring pass counted.
  init(writingTo base: UnsafeMutableRawPointer, lengths: [Int]) {
    measuring = false
    self.lengths = lengths
    self.base = base
  }

  static func size(ofVarint value: UInt64) -> Int {
    value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
  }

  @inline(__always)
  private mutating func byte(_ value: UInt8) {
    base.unsafelyUnwrapped.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
    count += 1
  }

  mutating func varint(_ value: UInt64) {
    guard !measuring else {
      count += Self.size(ofVarint: value)
      return
    }
    var v = value
    while v >= 0x80 {
      byte(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    byte(UInt8(v))
  }

  mutating func fixed32(_ value: UInt32) {
    if !measuring { base.unsafelyUnwrapped.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt32.self) }
    count += 4
  }

  mutating func fixed64(_ value: UInt64) {
    if !measuring { base.unsafelyUnwrapped.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self) }
    count += 8
  }

  mutating func raw(_ bytes: UnsafeRawBufferPointer) {
    if !measuring, let source = bytes.baseAddress, !bytes.isEmpty {
      (base.unsafelyUnwrapped + count).copyMemory(from: source, byteCount: bytes.count)
    }
    count += bytes.count
  }

  /// Starts a length-delimited value (nested message, map entry, packed array) whose length
  /// prefix comes first; the token goes back to ``close(_:)`` when the value ends.
  mutating func open() -> Int {
    if measuring {
      lengths.append(count)
      return lengths.count - 1
    }
    varint(UInt64(lengths[next]))
    next += 1
    return 0
  }

  mutating func close(_ token: Int) {
    guard measuring else { return }
    let inner = count - lengths[token]
    lengths[token] = inner
    count += Self.size(ofVarint: UInt64(inner))
  }
}

extension WireSink {
  /// Runs `pass` twice, measuring then writing into bytes of exactly the measured size: the
  /// two passes every serializer here makes. A pass that writes a different amount the second
  /// time is a bug, reported as INTERNAL naming the message.
  static func encode<Bytes: GRPCContiguousBytes>(name: String, _ pass: (inout WireSink) throws -> Void) throws -> Bytes {
    var counter = WireSink()
    try pass(&counter)
    let total = counter.count
    var bytes = Bytes(repeating: 0, count: total)
    guard total > 0 else { return bytes }
    let written = try bytes.withUnsafeMutableBytes { buffer in
      var writer = WireSink(writingTo: buffer.baseAddress!, lengths: counter.lengths)
      try pass(&writer)
      return writer.count
    }
    guard written == total else {
      throw RPCError(code: .internalError, message: "\(name) measured \(total) bytes but wrote \(written)")
    }
    return bytes
  }
}
