import GRPCCore
import Logging
import MLOpsCore

/// Unary calls relayed on the event loop (issue #27): the nghttp2 transport hands a call's
/// bytes to a fast route, which checks the key (``CallAuthorizer``) and sends the bytes on an
/// nghttp2 client connection of the same loop; the peer's answer is written back from there.
/// No task, no thread hop, no decoding; a client that cancels cancels the upstream call. A
/// call the relay cannot send at once (no connection open on this loop yet, the peer down)
/// takes the ordinary path, unchanged.
extension ForwardingService {
  /// One fast route per unary method this service forwards, except those the deployment
  /// policy gates (checking them awaits the registry, tracker and monitor).
  /// - Parameter authorizer: the key check (nil: auth off).
  public func fastRoutes(relay: NGHTTP2Relay, authorizer: CallAuthorizer?, logger: Logger) -> [FastUnaryRoute] {
    methods.filter { method in
      !StreamingMethods.names.contains(method.fullyQualifiedMethod)
        && (gate == nil || !PolicyGate.gated.contains(method.fullyQualifiedMethod))
    }.map { method in
      relayRoute(method, relay: relay, authorizer: authorizer, logger: logger)
    }
  }

  private func relayRoute(_ method: MethodDescriptor, relay: NGHTTP2Relay, authorizer: CallAuthorizer?, logger: Logger) -> FastUnaryRoute {
    let path = "/" + method.fullyQualifiedMethod
    let peer = upstream.peer
    let fallback = defaultDeadline
    return FastUnaryRoute(method: method) { request, metadata, responder in
      // Checked before the key, so a call that goes the ordinary way is not admitted twice.
      guard let sender = relay.sender(on: responder.eventLoop) else { return .deferred }
      let admission: CallAuthorizer.Admission?
      do {
        try ObservabilityInterceptor.checkTimeoutHeader(metadata)
        admission = try authorizer?.admit(metadata, to: method)
      } catch {
        return .failed(RPCErrorMapping.normalize(error, method: method, logger: logger))
      }
      let deadline = Self.deadline(for: method, metadata: metadata, default: fallback)
      let call = sender.send(
        path: path, metadata: Self.endToEnd(admission?.metadata ?? metadata), message: request, timeout: deadline.timeout
      ) {
        outcome in
        switch outcome {
        case .success(let (message, trailers)):
          admission?.record("OK")
          responder.answer(message, trailers: Self.endToEnd(trailers))
        case .failure(let error):
          let relayed = Self.relayed(error, method: method, peer: peer, deadline: deadline)
          admission?.record("\(relayed.code)")
          responder.fail(relayed)
        }
      }
      // A client that resets its stream cancels the upstream call too (the handler stops).
      responder.onCancel { call.cancel() }
      return .pending
    }
  }
}
