import GRPCCore
import Logging

/// The one server interceptor every process installs: it counts and times each RPC, and turns
/// every error into a deliberate status — domain errors through `RPCErrorConvertible`,
/// anything unforeseen into INTERNAL with a log line — so no client ever sees UNKNOWN.
public struct ObservabilityInterceptor: ServerInterceptor {
  let metrics: RPCMetrics
  let logger: Logger
  let cancellation: RPCCancellation

  /// - Parameter cancellation: stops handlers whose call was cancelled (``RPCCancellation``).
  public init(metrics: RPCMetrics, logger: Logger, cancellation: RPCCancellation = RPCCancellation()) {
    self.metrics = metrics
    self.logger = logger
    self.cancellation = cancellation
  }

  public func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingServerRequest<Input>,
    context: ServerContext,
    next:
      @Sendable (StreamingServerRequest<Input>, ServerContext) async throws ->
      StreamingServerResponse<Output>
  ) async throws -> StreamingServerResponse<Output> {
    let method = metrics.metrics(for: context.descriptor)
    method.started.increment()
    let start = ContinuousClock.now
    let response: StreamingServerResponse<Output>
    do {
      try Self.checkTimeoutHeader(request.metadata)
      response = try await next(request, context)
    } catch {
      let status = RPCErrorMapping.normalize(error, method: context.descriptor, logger: logger)
      metrics.record(method, code: status.code, elapsed: ContinuousClock.now - start)
      throw status
    }
    switch response.accepted {
    case .failure(let error):
      let status = RPCErrorMapping.normalize(error, method: context.descriptor, logger: logger)
      metrics.record(method, code: status.code, elapsed: ContinuousClock.now - start)
      return StreamingServerResponse(error: status)
    case .success(var contents):
      let producer = contents.producer
      let metadata = request.metadata
      contents.producer = { [metrics, logger, cancellation] writer in
        do {
          // A unary handler's work is done before its producer runs: only streaming responses
          // pay for the cancellable task (an extra task per call cost unary calls 5–10%).
          let trailers =
            context.descriptor.type?.isResponseStreaming ?? true
            ? try await cancellation.cancellable(started: start, metadata: metadata) { try await producer(writer) }
            : try await producer(writer)
          metrics.record(method, code: nil, elapsed: ContinuousClock.now - start)
          return trailers
        } catch {
          let ended = error is CancellationError ? RPCCancellation.status(started: start, metadata: metadata) : error
          let status = RPCErrorMapping.normalize(ended, method: context.descriptor, logger: logger)
          metrics.record(method, code: status.code, elapsed: ContinuousClock.now - start)
          throw status
        }
      }
      return StreamingServerResponse(accepted: .success(contents))
    }
  }
}

extension ObservabilityInterceptor {
  /// Refuses a call whose `grpc-timeout` the transport guard set aside as malformed.
  public static func checkTimeoutHeader(_ metadata: Metadata) throws {
    guard let bad = metadata[stringValues: GRPCTimeout.rejectedKey].first(where: { _ in true }) else { return }
    throw RPCError(
      code: .invalidArgument,
      message: "grpc-timeout: '\(bad)' is not a timeout (1 to 8 digits and a unit: H, M, S, m, u or n)")
  }
}

/// The error convention: services throw their domain error types (conforming to
/// `RPCErrorConvertible`) or `RPCError`; everything else is a bug reported as INTERNAL.
public enum RPCErrorMapping {
  /// Maps any error to the status the client receives, bounded so it can be delivered.
  public static func normalize(_ error: any Error, method: MethodDescriptor, logger: Logger)
    -> RPCError
  {
    mapped(error, method: method, logger: logger).bounded
  }

  static func mapped(_ error: any Error, method: MethodDescriptor, logger: Logger) -> RPCError {
    switch error {
    case let error as RPCError:
      if error.code == .unknown {
        logger.error("RPC answered UNKNOWN", metadata: ["rpc": "\(method)", "error": "\(error)"])
        return RPCError(code: .internalError, message: error.message, cause: error)
      }
      return error
    case let error as any RPCErrorConvertible:
      return RPCError(error)
    case is CancellationError:
      return RPCError(code: .cancelled, message: "the call was cancelled")
    default:
      logger.error("unexpected error", metadata: ["rpc": "\(method)", "error": "\(error)"])
      return RPCError(
        code: .internalError,
        message: "internal error in \(method.method): \(String(describing: type(of: error)))",
        cause: error
      )
    }
  }
}
