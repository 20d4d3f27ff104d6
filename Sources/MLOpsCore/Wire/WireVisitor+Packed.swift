import SwiftProtobuf

/// Packed repeated scalars: one length-delimited run of values. (The `Visitor` defaults write
/// them unpacked, which is valid protobuf but not what SwiftProtobuf or other encoders send.)
extension WireVisitor {
  private mutating func packed<T>(_ values: [T], _ fieldNumber: Int, _ each: (inout WireSink, T) -> Void) {
    tag(fieldNumber, .delimited)
    let token = sink.open()
    for value in values { each(&sink, value) }
    sink.close(token)
  }

  mutating func visitPackedFloatField(value: [Float], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed32($1.bitPattern) }
  }
  mutating func visitPackedDoubleField(value: [Double], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed64($1.bitPattern) }
  }
  mutating func visitPackedInt32Field(value: [Int32], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(UInt64(bitPattern: Int64($1))) }
  }
  mutating func visitPackedInt64Field(value: [Int64], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(UInt64(bitPattern: $1)) }
  }
  mutating func visitPackedUInt32Field(value: [UInt32], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(UInt64($1)) }
  }
  mutating func visitPackedUInt64Field(value: [UInt64], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint($1) }
  }
  mutating func visitPackedSInt32Field(value: [Int32], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(Self.zigZag(Int64($1))) }
  }
  mutating func visitPackedSInt64Field(value: [Int64], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(Self.zigZag($1)) }
  }
  mutating func visitPackedFixed32Field(value: [UInt32], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed32($1) }
  }
  mutating func visitPackedFixed64Field(value: [UInt64], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed64($1) }
  }
  mutating func visitPackedSFixed32Field(value: [Int32], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed32(UInt32(bitPattern: $1)) }
  }
  mutating func visitPackedSFixed64Field(value: [Int64], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.fixed64(UInt64(bitPattern: $1)) }
  }
  mutating func visitPackedBoolField(value: [Bool], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint($1 ? 1 : 0) }
  }
  mutating func visitPackedEnumField<E: Enum>(value: [E], fieldNumber: Int) throws {
    packed(value, fieldNumber) { $0.varint(UInt64(bitPattern: Int64($1.rawValue))) }
  }
}
