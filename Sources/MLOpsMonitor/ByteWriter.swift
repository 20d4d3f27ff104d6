import Foundation

/// Builds a prediction block's, a stored value's or a reference profile's bytes in one array (appending to `Data`
/// costs more than the encoding).
struct ByteWriter {
  var bytes: [UInt8] = []

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  mutating func byte(_ value: UInt8) { bytes.append(value) }

  mutating func uint32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

  mutating func uint64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

  mutating func string(_ text: String) {
    uint32(UInt32(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }

  /// A string after its 64-bit length, as reference profiles store names and labels
  /// (``ByteReader/string()`` reads it).
  mutating func string64(_ text: String) {
    uint64(UInt64(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
  }

  /// A value: a tag (0 missing, 1 number, 2 text), then the number or the text.
  mutating func value(_ value: FieldValue) {
    switch value {
    case .missing, .unsupported: byte(0)
    case .number(let number):
      byte(1)
      uint64(number.bitPattern)
    case .text(let text):
      byte(2)
      string(text)
    }
  }

  /// Writes `body` after its length, so a reader can skip what it does not need.
  mutating func section(_ body: (inout ByteWriter) -> Void) {
    let start = bytes.count
    uint32(0)
    body(&self)
    let length = UInt32(bytes.count - start - 4).littleEndian
    withUnsafeBytes(of: length) { for i in 0..<4 { bytes[start + i] = $0[i] } }
  }
}
