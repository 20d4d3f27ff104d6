import GRPCCore
import Logging
import NIOCore
import SwiftProtobuf

extension FastUnaryRoute {
  /// A fast route for a typed unary method: decodes the request, calls `answer` on the event
  /// loop (nil defers the call to the ordinary path), encodes the response; errors become the
  /// statuses ``RPCErrorMapping`` gives them on the ordinary path.
  public static func typed<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ method: MethodDescriptor,
    logger: Logger,
    answer: @escaping @Sendable (Input, Metadata) throws -> Output?
  ) -> FastUnaryRoute {
    typed(method, logger: logger) { (request: Input, metadata, _: TypedResponder<Output>) in (try answer(request, metadata), later: false) }
  }

  /// How a typed route whose answer comes later answers: from any thread, once.
  public struct TypedResponder<Output: SwiftProtobuf.Message>: Sendable {
    let responder: Responder
    let method: MethodDescriptor
    let logger: Logger

    /// The event loop of the caller's connection.
    public var eventLoop: any EventLoop { responder.eventLoop }

    /// Answers `output`, or the error encoding it fails with.
    public func answer(_ output: Output) {
      do {
        responder.answer(try MeasuredProtobufSerializer<Output>.bytes(output))
      } catch {
        fail(error)
      }
    }

    /// Answers the status ``RPCErrorMapping`` gives `error` on the ordinary path.
    public func fail(_ error: any Error) {
      responder.fail(RPCErrorMapping.normalize(error, method: method, logger: logger))
    }
  }

  /// A typed fast route that may answer later: `answer` returns the response now, or nil
  /// after arranging to answer through the ``TypedResponder`` (`later` true), or nil with
  /// `later` false to defer the call to the ordinary path.
  public static func typed<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ method: MethodDescriptor,
    logger: Logger,
    answerOrLater: @escaping @Sendable (Input, Metadata, TypedResponder<Output>) throws -> (Output?, later: Bool)
  ) -> FastUnaryRoute {
    FastUnaryRoute(method: method) { bytes, metadata, responder in
      do {
        try ObservabilityInterceptor.checkTimeoutHeader(metadata)
        let request: Input
        do {
          request = try Input(serializedBytes: bytes)
        } catch {
          throw RPCError(code: .internalError, message: "cannot deserialize \(Input.protoMessageName): \(error)")
        }
        let typed = TypedResponder<Output>(responder: responder, method: method, logger: logger)
        let (response, later) = try answerOrLater(request, metadata, typed)
        if let response { return .answered(try MeasuredProtobufSerializer<Output>.bytes(response)) }
        return later ? .pending : .deferred
      } catch {
        return .failed(RPCErrorMapping.normalize(error, method: method, logger: logger))
      }
    }
  }

  /// This route, counted and timed in `metrics` as ``ObservabilityInterceptor`` counts calls on
  /// the ordinary path, so `/metrics` does not depend on the route a call took.
  public func metered(by metrics: RPCMetrics) -> FastUnaryRoute {
    let handle = self.handle
    let method = self.method
    // Looked up once: per call, that lookup built the method's name and took a lock.
    let handles = metrics.metrics(for: method)
    return FastUnaryRoute(method: method) { bytes, metadata, responder in
      let start = ContinuousClock.now
      let timed = Responder(
        eventLoop: responder.eventLoop,
        deliver: { result in
          switch result {
          case .success: metrics.record(handles, code: nil, elapsed: ContinuousClock.now - start)
          case .failure(let error): metrics.record(handles, code: error.code, elapsed: ContinuousClock.now - start)
          }
          responder.deliver(result)
        }, cancellation: responder.cancellation)
      let outcome = handle(bytes, metadata, timed)
      switch outcome {
      case .answered:
        handles.started.increment()
        metrics.record(handles, code: nil, elapsed: ContinuousClock.now - start)
      case .failed(let error):
        handles.started.increment()
        metrics.record(handles, code: error.code, elapsed: ContinuousClock.now - start)
      case .pending:
        handles.started.increment()
      case .deferred:
        break
      }
      return outcome
    }
  }
}
