import GRPCCore
import SwiftProtobuf

/// gRPC's protobuf serializer, measuring each nested message once (``WireSink``). Every
/// registration helper in ``RPCRouter`` uses it; the bytes are SwiftProtobuf's own.
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
    var counter = WireVisitor(sink: WireSink())
    try message.traverse(visitor: &counter)
    let total = counter.sink.count
    var bytes = Bytes(repeating: 0, count: total)
    guard total > 0 else { return bytes }
    let written = try bytes.withUnsafeMutableBytes { buffer in
      var writer = WireVisitor(sink: WireSink(writingTo: buffer.baseAddress!, lengths: counter.sink.lengths))
      try message.traverse(visitor: &writer)
      return writer.sink.count
    }
    guard written == total else {
      throw RPCError(code: .internalError, message: "\(Message.protoMessageName) measured \(total) bytes but wrote \(written)")
    }
    return bytes
  }
}
