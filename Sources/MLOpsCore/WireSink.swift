/// Where ``WireVisitor`` puts a message's bytes. Encoding runs twice over the message: a
/// ``WireCounter`` pass measures every length-delimited value once, then a ``WireWriter`` pass
/// writes the bytes using those lengths. SwiftProtobuf instead re-measures a nested message at
/// every level it is nested in, which made encoding SearchRuns' 500 runs cost more than reading
/// them from SQLite.
protocol WireSink {
  mutating func varint(_ value: UInt64)
  mutating func fixed32(_ value: UInt32)
  mutating func fixed64(_ value: UInt64)
  mutating func raw(_ bytes: UnsafeRawBufferPointer)
  /// Starts a length-delimited value (nested message, map entry, packed array) whose length
  /// prefix comes first; the token goes back to ``close(_:)`` when the value ends.
  mutating func open() -> Int
  mutating func close(_ token: Int)
}

/// The measuring pass: total size, and the length of every length-delimited value in the
/// order the writing pass will meet them.
struct WireCounter: WireSink {
  var count = 0
  var lengths: [Int] = []

  static func size(ofVarint value: UInt64) -> Int {
    value == 0 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
  }

  mutating func varint(_ value: UInt64) { count += Self.size(ofVarint: value) }
  mutating func fixed32(_ value: UInt32) { count += 4 }
  mutating func fixed64(_ value: UInt64) { count += 8 }
  mutating func raw(_ bytes: UnsafeRawBufferPointer) { count += bytes.count }

  mutating func open() -> Int {
    lengths.append(count)
    return lengths.count - 1
  }

  mutating func close(_ token: Int) {
    let inner = count - lengths[token]
    lengths[token] = inner
    count += Self.size(ofVarint: UInt64(inner))
  }
}

/// The writing pass, into a buffer exactly as large as the counter measured.
struct WireWriter: WireSink {
  let base: UnsafeMutableRawPointer
  let lengths: [Int]
  var offset = 0
  var next = 0

  init(base: UnsafeMutableRawPointer, lengths: [Int]) {
    self.base = base
    self.lengths = lengths
  }

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      base.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: offset, as: UInt8.self)
      offset += 1
      v >>= 7
    }
    base.storeBytes(of: UInt8(v), toByteOffset: offset, as: UInt8.self)
    offset += 1
  }

  mutating func fixed32(_ value: UInt32) {
    base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
    offset += 4
  }

  mutating func fixed64(_ value: UInt64) {
    base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt64.self)
    offset += 8
  }

  mutating func raw(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    (base + offset).copyMemory(from: source, byteCount: bytes.count)
    offset += bytes.count
  }

  mutating func open() -> Int {
    varint(UInt64(lengths[next]))
    next += 1
    return 0
  }

  mutating func close(_ token: Int) {}
}
