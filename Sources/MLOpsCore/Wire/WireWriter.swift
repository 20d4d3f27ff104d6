import GRPCCore

/// Protobuf fields written by hand, for a response too hot to build as generated messages
/// first: SearchRuns' 500 runs spent nearly as long becoming `Mlops_Tracker_V1_Run`s (and
/// being freed) as being encoded. Follows proto3's rules as SwiftProtobuf applies them: a scalar
/// or string at its default is left out, a nested message is written whenever it is set, even
/// empty. Runs over the value twice through ``WireSink`` (measure, then write), so `encode`
/// must write the same fields both times.
public struct WireWriter {
  var sink: WireSink

  mutating func tag(_ field: Int, _ type: WireVisitor.WireType) {
    sink.varint(UInt64(field) << 3 | type.rawValue)
  }

  /// A string field; the empty string is the default and is left out.
  public mutating func string(_ field: Int, _ value: String) {
    guard !value.isEmpty else { return }
    element(field, value)
  }

  /// A repeated string field: every element, empty ones too.
  public mutating func strings(_ field: Int, _ values: [String]) {
    for value in values { element(field, value) }
  }

  private mutating func element(_ field: Int, _ value: String) {
    tag(field, .delimited)
    // Borrowing the UTF-8 in place; only a string without contiguous storage is copied.
    if value.utf8.withContiguousStorageIfAvailable({ delimited($0) }) == nil {
      var text = value
      text.withUTF8 { delimited($0) }
    }
  }

  private mutating func delimited(_ utf8: UnsafeBufferPointer<UInt8>) {
    sink.varint(UInt64(utf8.count))
    sink.raw(UnsafeRawBufferPointer(utf8))
  }

  /// An int64 (or, sign-extended, an int32 or enum) field; 0 is left out.
  public mutating func int64(_ field: Int, _ value: Int64) {
    guard value != 0 else { return }
    tag(field, .varint)
    sink.varint(UInt64(bitPattern: value))
  }

  /// A double field; only +0.0 is the default (-0.0 and NaN are written).
  public mutating func double(_ field: Int, _ value: Double) {
    guard value.bitPattern != 0 else { return }
    tag(field, .fixed64)
    sink.fixed64(value.bitPattern)
  }

  /// A set nested message (written even when all its fields are defaults).
  public mutating func message(_ field: Int, _ body: (inout WireWriter) -> Void) {
    tag(field, .delimited)
    let token = sink.open()
    body(&self)
    sink.close(token)
  }
}

/// A response that writes its own protobuf bytes (see ``WireWriter``).
public protocol WireEncodable: Sendable {
  /// Writes the message's fields in field-number order.
  func encode(to writer: inout WireWriter)
}

/// gRPC's serializer for a ``WireEncodable`` response: the bytes a client's protobuf library
/// decodes as the method's declared response message.
public struct WireEncodableSerializer<Message: WireEncodable>: MessageSerializer {
  public init() {}

  public func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
    try Self.bytes(message)
  }

  /// The message's protobuf binary encoding.
  public static func bytes<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
    try WireSink.encode(name: "\(Message.self)") { sink in
      var writer = WireWriter(sink: sink)
      message.encode(to: &writer)
      sink = writer.sink
    }
  }
}
