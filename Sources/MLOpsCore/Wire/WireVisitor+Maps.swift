import SwiftProtobuf

/// Map fields: one length-delimited entry per key, key as field 1 and value as field 2.
extension WireVisitor {
  private mutating func entries<K, V>(_ map: [K: V], _ fieldNumber: Int, _ body: (inout Self, K, V) throws -> Void) rethrows {
    for (key, value) in map {
      tag(fieldNumber, .delimited)
      let token = sink.open()
      try body(&self, key, value)
      sink.close(token)
    }
  }

  mutating func visitMapField<KeyType, ValueType: MapValueType>(
    fieldType: _ProtobufMap<KeyType, ValueType>.Type, value: _ProtobufMap<KeyType, ValueType>.BaseType, fieldNumber: Int
  ) throws {
    try entries(value, fieldNumber) { visitor, k, v in
      try KeyType.visitSingular(value: k, fieldNumber: 1, with: &visitor)
      try ValueType.visitSingular(value: v, fieldNumber: 2, with: &visitor)
    }
  }

  mutating func visitMapField<KeyType, ValueType>(
    fieldType: _ProtobufEnumMap<KeyType, ValueType>.Type, value: _ProtobufEnumMap<KeyType, ValueType>.BaseType, fieldNumber: Int
  ) throws where ValueType.RawValue == Int {
    try entries(value, fieldNumber) { visitor, k, v in
      try KeyType.visitSingular(value: k, fieldNumber: 1, with: &visitor)
      try visitor.visitSingularEnumField(value: v, fieldNumber: 2)
    }
  }

  mutating func visitMapField<KeyType, ValueType>(
    fieldType: _ProtobufMessageMap<KeyType, ValueType>.Type, value: _ProtobufMessageMap<KeyType, ValueType>.BaseType, fieldNumber: Int
  ) throws {
    try entries(value, fieldNumber) { visitor, k, v in
      try KeyType.visitSingular(value: k, fieldNumber: 1, with: &visitor)
      try visitor.visitSingularMessageField(value: v, fieldNumber: 2)
    }
  }
}
