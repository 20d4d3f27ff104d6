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
