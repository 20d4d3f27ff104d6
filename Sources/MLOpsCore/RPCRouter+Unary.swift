import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

extension RPCRouter {
  /// Registers one unary protobuf method by its generated descriptor. Services use this while
  /// they implement part of their API: the implemented methods are registered here and the
  /// rest through ``UnimplementedService``, so the generated all-or-nothing protocol is not
  /// needed until every method exists.
  public mutating func registerUnary<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
  ) {
    registerHandler(
      forMethod: descriptor,
      deserializer: ProtobufDeserializer<Input>(),
      serializer: ProtobufSerializer<Output>()
    ) { request, context in
      let single = try await ServerRequest(stream: request)
      let output = try await handler(single.message, context)
      return StreamingServerResponse(single: ServerResponse(message: output))
    }
  }
}

extension RPCRouter {
  /// Registers one server-streaming protobuf method: one request in, messages written to the
  /// writer until the handler returns (or the client cancels).
  public mutating func registerServerStreaming<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (Input, RPCWriter<Output>, ServerContext) async throws -> Void
  ) {
    registerHandler(
      forMethod: descriptor,
      deserializer: ProtobufDeserializer<Input>(),
      serializer: ProtobufSerializer<Output>()
    ) { request, context in
      let single = try await ServerRequest(stream: request)
      return StreamingServerResponse { writer in
        try await handler(single.message, writer, context)
        return [:]
      }
    }
  }
}

extension RPCRouter {
  /// Registers one client-streaming protobuf method: the handler consumes the request
  /// messages (the sequence throws if the client cancels) and returns the single response.
  public mutating func registerClientStreaming<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (RPCAsyncSequence<Input, any Error>, ServerContext) async throws -> Output
  ) {
    registerHandler(
      forMethod: descriptor,
      deserializer: ProtobufDeserializer<Input>(),
      serializer: ProtobufSerializer<Output>()
    ) { request, context in
      let output = try await handler(request.messages, context)
      return StreamingServerResponse(single: ServerResponse(message: output))
    }
  }
}
