import Foundation
import SwiftProtobuf

/// Protobuf binary encoding as a SwiftProtobuf `Visitor`, writing into a ``WireSink``; the same
/// bytes SwiftProtobuf writes (fields in traversal order, map entries in dictionary order,
/// packed repeated scalars), but each nested message is measured once (see ``WireSink``).
struct WireVisitor: Visitor {
  var sink: WireSink

  enum WireType: UInt64 { case varint = 0, fixed64 = 1, delimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

  mutating func tag(_ field: Int, _ type: WireType) {
    sink.varint(UInt64(field) << 3 | type.rawValue)
  }

  static func zigZag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

  mutating func visitSingularFloatField(value: Float, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed32)
    sink.fixed32(value.bitPattern)
  }
  mutating func visitSingularDoubleField(value: Double, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed64)
    sink.fixed64(value.bitPattern)
  }
  mutating func visitSingularInt32Field(value: Int32, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(UInt64(bitPattern: Int64(value)))
  }
  mutating func visitSingularInt64Field(value: Int64, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(UInt64(bitPattern: value))
  }
  mutating func visitSingularUInt32Field(value: UInt32, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(UInt64(value))
  }
  mutating func visitSingularUInt64Field(value: UInt64, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(value)
  }
  mutating func visitSingularSInt32Field(value: Int32, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(Self.zigZag(Int64(value)))
  }
  mutating func visitSingularSInt64Field(value: Int64, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(Self.zigZag(value))
  }
  mutating func visitSingularFixed32Field(value: UInt32, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed32)
    sink.fixed32(value)
  }
  mutating func visitSingularFixed64Field(value: UInt64, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed64)
    sink.fixed64(value)
  }
  mutating func visitSingularSFixed32Field(value: Int32, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed32)
    sink.fixed32(UInt32(bitPattern: value))
  }
  mutating func visitSingularSFixed64Field(value: Int64, fieldNumber: Int) throws {
    tag(fieldNumber, .fixed64)
    sink.fixed64(UInt64(bitPattern: value))
  }
  mutating func visitSingularBoolField(value: Bool, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(value ? 1 : 0)
  }
  mutating func visitSingularStringField(value: String, fieldNumber: Int) throws {
    tag(fieldNumber, .delimited)
    var text = value
    text.withUTF8 { utf8 in
      sink.varint(UInt64(utf8.count))
      sink.raw(UnsafeRawBufferPointer(utf8))
    }
  }
  mutating func visitSingularBytesField(value: Data, fieldNumber: Int) throws {
    tag(fieldNumber, .delimited)
    sink.varint(UInt64(value.count))
    value.withUnsafeBytes { sink.raw($0) }
  }
  mutating func visitSingularEnumField<E: Enum>(value: E, fieldNumber: Int) throws {
    tag(fieldNumber, .varint)
    sink.varint(UInt64(bitPattern: Int64(value.rawValue)))
  }
  mutating func visitSingularMessageField<M: Message>(value: M, fieldNumber: Int) throws {
    tag(fieldNumber, .delimited)
    let token = sink.open()
    try value.traverse(visitor: &self)
    sink.close(token)
  }
  mutating func visitSingularGroupField<G: Message>(value: G, fieldNumber: Int) throws {
    tag(fieldNumber, .startGroup)
    try value.traverse(visitor: &self)
    tag(fieldNumber, .endGroup)
  }

  mutating func visitUnknown(bytes: Data) throws {
    bytes.withUnsafeBytes { sink.raw($0) }
  }

  mutating func visitExtensionFields(fields: ExtensionFieldValueSet, start: Int, end: Int) throws {
    try fields.traverse(visitor: &self, start: start, end: end)
  }
}
