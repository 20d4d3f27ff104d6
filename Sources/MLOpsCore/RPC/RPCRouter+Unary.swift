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
    registerUnaryWithMetadata(descriptor) { input, _, context in try await handler(input, context) }
  }
}

extension RPCRouter {
  /// A unary method whose handler also reads the request metadata (the caller's identity,
  /// `x-mlops-actor`, set by the gateway).
  public mutating func registerUnaryWithMetadata<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (Input, Metadata, ServerContext) async throws -> Output
  ) {
    registerUnary(descriptor, serializer: MeasuredProtobufSerializer<Output>(), handler)
  }

  /// A unary method whose response writes its own bytes (``WireEncodable``): for an answer
  /// too large to build as generated messages first. The client decodes the method's
  /// declared response message.
  public mutating func registerUnaryEncoded<Input: SwiftProtobuf.Message, Output: WireEncodable>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (Input, ServerContext) async throws -> Output
  ) {
    registerUnary(descriptor, serializer: WireEncodableSerializer<Output>()) { input, _, context in try await handler(input, context) }
  }

  private mutating func registerUnary<Input: SwiftProtobuf.Message, Serializer: MessageSerializer>(
    _ descriptor: MethodDescriptor,
    serializer: Serializer,
    _ handler: @escaping @Sendable (Input, Metadata, ServerContext) async throws -> Serializer.Message
  ) where Serializer.Message: Sendable {
    registerHandler(forMethod: descriptor, deserializer: ProtobufDeserializer<Input>(), serializer: serializer) { request, context in
      let single = try await ServerRequest(stream: request)
      let output = try await handler(single.message, single.metadata, context)
      return StreamingServerResponse(single: ServerResponse(message: output))
    }
  }
}

extension RPCRouter {
  /// Registers one server-streaming protobuf method: one request in, messages written to the
  /// writer until the handler returns or the RPC is cancelled (the handler's task is then
  /// cancelled too).
  public mutating func registerServerStreaming<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ descriptor: MethodDescriptor,
    _ handler: @escaping @Sendable (Input, RPCWriter<Output>, ServerContext) async throws -> Void
  ) {
    registerHandler(
      forMethod: descriptor,
      deserializer: ProtobufDeserializer<Input>(),
      serializer: MeasuredProtobufSerializer<Output>()
    ) { request, context in
      let single = try await ServerRequest(stream: request)
      return StreamingServerResponse { writer in
        // gRPC signals a cancelled RPC (client gone, deadline, shutdown) through the context,
        // not by cancelling the handler's task: race the two so an endless watch stops with it.
        try await withThrowingTaskGroup(of: Void.self) { group in
          group.addTask { try await handler(single.message, writer, context) }
          group.addTask {
            try await context.cancellation.cancelled
            throw RPCError(code: .cancelled, message: "the call was cancelled")
          }
          try await group.next()
          group.cancelAll()
        }
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
    _ handler: @escaping @Sendable (RPCAsyncSequence<Input, any Error>, Metadata, ServerContext) async throws -> Output
  ) {
    registerHandler(
      forMethod: descriptor,
      deserializer: ProtobufDeserializer<Input>(),
      serializer: MeasuredProtobufSerializer<Output>()
    ) { request, context in
      let output = try await handler(request.messages, request.metadata, context)
      return StreamingServerResponse(single: ServerResponse(message: output))
    }
  }
}
