import CNGHTTP2
import GRPCCore
import NIOCore

/// A stream's life on the connection: dispatch when its HEADERS are complete, body bytes into
/// messages, the handler's response parts into nghttp2, and the end (normal, reset or lost).
extension NGHTTP2Connection {
  /// The request's HEADERS are complete: refuse it, route it to a fast route, or hand it to
  /// GRPCCore through the transport.
  func begin(_ stream: NGHTTP2Stream) {
    let descriptor: MethodDescriptor
    do {
      try stream.head.validate()
      if let route = transport.fastRoutes[stream.head.path] {
        stream.fastRoute = route
        return
      }
      if let known = descriptors[stream.head.path] {
        descriptor = known
      } else {
        descriptor = try stream.head.descriptor()
      }
    } catch {
      refuse(stream, error)
      return
    }
    dispatch(stream, descriptor)
  }

  /// Hands the stream to GRPCCore (through the transport's listen task).
  private func dispatch(_ stream: NGHTTP2Stream, _ descriptor: MethodDescriptor) {
    guard let bound else { return }
    let id = stream.id
    let inbound = NGHTTP2Inbound { count in bound.eventLoop.execute { bound.value.consume(id, count) } }
    let flow = NGHTTP2OutboundFlow()
    let control = NGHTTP2StreamControl()
    inbound.deliver(.metadata(stream.head.metadata))
    stream.head = GRPCRequestHead()
    (stream.inbound, stream.flow, stream.control) = (inbound, flow, control)
    let rpc = RPCStream(
      descriptor: descriptor, inbound: RPCAsyncSequence(wrapping: inbound),
      outbound: RPCWriter.Closable(wrapping: NGHTTP2Outbound(streamID: id, flow: flow, connection: bound)))
    transport.accept(.init(stream: rpc, remotePeer: peers.remote, localPeer: peers.local, control: control))
  }

  /// Body bytes of a stream: acknowledged now unless its handler is behind, then split into
  /// messages.
  func receive(_ streamID: Int32, _ chunk: UnsafeRawBufferPointer) {
    guard let stream = streams[streamID], !stream.discarding else {
      nghttp2_session_consume(session, streamID, chunk.count)
      return
    }
    if stream.inbound?.admit(chunk.count) ?? true {
      nghttp2_session_consume(session, streamID, chunk.count)
    }
    do {
      try stream.decoder.append(chunk) { message in
        if let inbound = stream.inbound {
          inbound.deliver(.message(message))
        } else if stream.fastRequest.count < 2 {
          // A second message already makes the unary call invalid; more are not kept.
          stream.fastRequest.append(message)
        }
      }
    } catch {
      let failure: RPCError
      switch error {
      case .tooLarge(let size):
        failure = RPCError(
          code: .resourceExhausted,
          message: "request message of \(size) bytes is larger than the limit of \(stream.decoder.maxMessageBytes) bytes")
      case .compressed:
        failure = RPCError(code: .internalError, message: "compressed message received, but grpc-encoding is identity")
      }
      stream.discarding = true
      if let inbound = stream.inbound {
        inbound.finish(.failure(failure))
      } else {
        answer(stream, .failure(failure))
      }
    }
  }

  /// The client has sent all of the request.
  func endRequest(_ streamID: Int32) {
    guard let stream = streams[streamID], !stream.requestEnded else { return }
    stream.requestEnded = true
    guard !stream.discarding else { return }
    let truncated = RPCError(code: .internalError, message: "the request ended inside a message (its length prefix promised more bytes)")
    if let inbound = stream.inbound {
      inbound.finish(stream.decoder.isAtBoundary ? .success(()) : .failure(truncated))
    } else if let route = stream.fastRoute {
      guard stream.decoder.isAtBoundary else { return answer(stream, .failure(truncated)) }
      guard stream.fastRequest.count == 1 else {
        return answer(stream, .failure(RPCError(code: .internalError, message: "a unary call carries exactly one request message")))
      }
      switch route.handle(stream.fastRequest[0], stream.head.metadata, responder(for: stream.id)) {
      case .answered(let bytes): answer(stream, .success(bytes))
      case .failed(let error): answer(stream, .failure(error))
      case .deferred: deferToOrdinaryPath(stream, request: stream.fastRequest[0])
      case .pending: stream.discarding = true
      }
    }
  }

  /// A fast route declined the call: GRPCCore serves it from the request already read.
  private func deferToOrdinaryPath(_ stream: NGHTTP2Stream, request: [UInt8]) {
    guard let descriptor = descriptors[stream.head.path] ?? (try? stream.head.descriptor()) else { return }
    stream.fastRoute = nil
    stream.fastRequest = []
    dispatch(stream, descriptor)
    stream.inbound?.deliver(.message(request))
    stream.inbound?.finish()
  }

  /// How a pending fast route answers stream `id` later, from any thread: on this loop, and
  /// only while the stream lives (``sendMessage(_:metadata:_:)`` drops parts for a closed one).
  private func responder(for id: Int32) -> FastUnaryRoute.Responder {
    let bound = self.bound!
    return FastUnaryRoute.Responder(
      eventLoop: bound.eventLoop,
      deliver: { result in
        if bound.eventLoop.inEventLoop {
          bound.value.answer(id, result)
        } else {
          bound.eventLoop.execute { bound.value.answer(id, result) }
        }
      },
      cancellation: { body in
        bound.eventLoop.preconditionInEventLoop()
        guard let stream = bound.value.streams[id], !stream.responseEnded else { return body() }
        stream.whenCancelled = body
      })
  }

  /// A pending fast route's answer, if its stream still lives.
  private func answer(_ id: Int32, _ result: Result<(message: [UInt8], trailers: Metadata), RPCError>) {
    guard let stream = streams[id] else { return }
    switch result {
    case .success(let (message, trailers)): answer(stream, .success(message), trailers: trailers)
    case .failure(let error): answer(stream, .failure(error))
    }
  }

  /// A fast route's answer: HEADERS, DATA and trailers (`trailers` beside an OK status)
  /// submitted together and written in one flush.
  func answer(_ stream: NGHTTP2Stream, _ result: Result<[UInt8], RPCError>, trailers: Metadata = [:]) {
    stream.discarding = true
    switch result {
    case .success(let bytes):
      queueMessage(stream.id, metadata: [:], bytes)
      sendStatus(stream.id, metadata: nil, Status(code: .ok, message: ""), trailers)
    case .failure(let error):
      sendStatus(stream.id, metadata: nil, Status(code: Status.Code(error.code), message: error.message), error.metadata)
    }
  }

  private func refuse(_ stream: NGHTTP2Stream, _ refusal: GRPCRequestHead.Refusal) {
    stream.discarding = true
    switch refusal {
    case .http(let code):
      var block = HTTP2HeaderBlock()
      block.add(":status", String(code))
      stream.responseStarted = true
      stream.responseEnded = true
      block.withFields { _ = nghttp2_submit_response(session, stream.id, $0, $1, nil) }
      flush()
    case .grpc(let code, let message):
      sendStatus(stream.id, metadata: nil, Status(code: code, message: message), [:])
    }
  }
}
