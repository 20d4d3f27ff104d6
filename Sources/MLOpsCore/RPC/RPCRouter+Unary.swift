import GRPCCore
import GRPCProtobuf
import SwiftProtobuf

extension RPCRouter {
  /// Registers one unary method by its generated namespace (`Methods.GetRun.self`): the
  /// handler's request and response types must be the RPC's. Services register the methods
  /// they implement here and the rest through ``UnimplementedService``.
  public mutating func registerUnary<Method: RPCMethod>(
    _ method: Method.Type,
    _ handler: @escaping @Sendable (Method.Input, ServerContext) async throws -> Method.Output
  ) {
    registerUnaryWithMetadata(method) { input, _, context in try await handler(input, context) }
  }

  /// A unary method whose handler also reads the request metadata (the caller's identity,
  /// `x-mlops-actor`, set by the gateway).
  public mutating func registerUnaryWithMetadata<Method: RPCMethod>(
    _ method: Method.Type,
    _ handler: @escaping @Sendable (Method.Input, Metadata, ServerContext) async throws -> Method.Output
  ) {
    registerUnary(method.descriptor, serializer: MeasuredProtobufSerializer<Method.Output>(), handler)
  }

  /// A unary method whose response writes its own bytes (``WireEncodable``): for an answer
  /// too large to build as generated messages first. The client decodes the method's
  /// declared response message, which `Output` must encode.
  public mutating func registerUnaryEncoded<Method: RPCMethod, Output: WireEncodable>(
    _ method: Method.Type,
    _ handler: @escaping @Sendable (Method.Input, ServerContext) async throws -> Output
  ) {
    registerUnary(method.descriptor, serializer: WireEncodableSerializer<Output>()) { input, _, context in
      try await handler(input, context)
    }
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
  public mutating func registerServerStreaming<Method: RPCMethod>(
    _ method: Method.Type,
    _ handler: @escaping @Sendable (Method.Input, RPCWriter<Method.Output>, ServerContext) async throws -> Void
  ) {
    registerHandler(
      forMethod: method.descriptor,
      deserializer: ProtobufDeserializer<Method.Input>(),
      serializer: MeasuredProtobufSerializer<Method.Output>()
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
  public mutating func registerClientStreaming<Method: RPCMethod>(
    _ method: Method.Type,
    _ handler: @escaping @Sendable (RPCAsyncSequence<Method.Input, any Error>, Metadata, ServerContext) async throws -> Method.Output
  ) {
    registerHandler(
      forMethod: method.descriptor,
      deserializer: ProtobufDeserializer<Method.Input>(),
      serializer: MeasuredProtobufSerializer<Method.Output>()
    ) { request, context in
      let output = try await handler(request.messages, request.metadata, context)
      return StreamingServerResponse(single: ServerResponse(message: output))
    }
  }
}
