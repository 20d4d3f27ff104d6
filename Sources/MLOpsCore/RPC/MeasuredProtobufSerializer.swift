import GRPCCore
import SwiftProtobuf

/// gRPC's protobuf serializer, measuring each nested message once (``WireSink``). Every
/// registration helper in ``RPCRouter`` uses it; the bytes are SwiftProtobuf's own.
/// SwiftProtobuf 1.x sizes every nested message again at each level it is written from, so
/// encoding costs grow with the square of the nesting depth (apple/swift-protobuf#713; the
/// back-to-front encoder of apple/swift-protobuf#1518 that would end it is not released):
/// a SearchRuns answer of runs → metrics → values paid that on every call.
public struct MeasuredProtobufSerializer<Message: SwiftProtobuf.Message>: MessageSerializer {
  public init() {}

  /// The message's bytes; a failure reaches the client as INTERNAL naming the message type.
  public func serialize<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
    do {
      return try Self.bytes(message)
    } catch {
      throw RPCError(code: .internalError, message: "cannot serialize \(Message.protoMessageName): \(error)")
    }
  }

  /// The message's protobuf binary encoding.
  public static func bytes<Bytes: GRPCContiguousBytes>(_ message: Message) throws -> Bytes {
    try WireSink.encode(name: Message.protoMessageName) { sink in
      var visitor = WireVisitor(sink: sink)
      try message.traverse(visitor: &visitor)
      sink = visitor.sink
    }
  }
}
