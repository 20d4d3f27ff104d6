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
