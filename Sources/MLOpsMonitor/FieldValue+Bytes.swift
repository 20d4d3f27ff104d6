import MLOpsCore

/// A monitored value in the stored binary forms (prediction blocks, a legacy row's payload):
/// its tag (0 missing, 1 number, 2 text), then the number or the text.
extension ByteReader {
  /// A value as ``ByteWriter/value(_:)`` wrote it.
  mutating func value() -> FieldValue {
    switch byte() {
    case 1: .number(Double(bitPattern: uint64()))
    case 2: .text(string32())
    default: .missing
    }
  }
}

extension ByteWriter {
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
}
