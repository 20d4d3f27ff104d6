import GRPCCore
import Logging
import SwiftProtobuf

extension FastUnaryRoute {
  /// A fast route for a typed unary method: decodes the request, calls `answer` on the event
  /// loop, encodes the response. Each call is counted and timed in `metrics` and its errors
  /// normalised exactly as ``ObservabilityInterceptor`` does for calls through GRPCCore, so
  /// `/metrics` and the statuses clients see do not depend on the route. No other interceptor
  /// runs: register only methods that need none (no identity, no auth).
  public static func typed<Input: SwiftProtobuf.Message, Output: SwiftProtobuf.Message>(
    _ method: MethodDescriptor,
    metrics: RPCMetrics,
    logger: Logger,
    answer: @escaping @Sendable (Input, Metadata) throws -> Output
  ) -> FastUnaryRoute {
    FastUnaryRoute(method: method) { bytes, metadata in
      let handles = metrics.metrics(for: method)
      handles.started.increment()
      let start = ContinuousClock.now
      do {
        try ObservabilityInterceptor.checkTimeoutHeader(metadata)
        let request: Input
        do {
          request = try Input(serializedBytes: bytes)
        } catch {
          throw RPCError(code: .internalError, message: "cannot deserialize \(Input.protoMessageName): \(error)")
        }
        let response: [UInt8] = try MeasuredProtobufSerializer<Output>.bytes(try answer(request, metadata))
        metrics.record(handles, code: nil, elapsed: ContinuousClock.now - start)
        return .success(response)
      } catch {
        let status = RPCErrorMapping.normalize(error, method: method, logger: logger)
        metrics.record(handles, code: status.code, elapsed: ContinuousClock.now - start)
        return .failure(status)
      }
    }
  }
}
