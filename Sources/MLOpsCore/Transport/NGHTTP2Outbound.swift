import GRPCCore
import NIOCore

/// A handler's response writer: each message or status is handed to the connection's event
/// loop without waiting for it (the loop runs them in order), unless the stream's queue is over
/// its high-water mark. A message is written by a flush the loop runs next, so a status that
/// follows it at once leaves in the same socket write.
struct NGHTTP2Outbound: ClosableRPCWriterProtocol {
  typealias Element = RPCResponsePart<[UInt8]>

  let streamID: Int32
  let flow: NGHTTP2OutboundFlow
  let connection: NIOLoopBound<NGHTTP2Connection>

  func write(_ element: Element) async throws {
    switch element {
    case .metadata(let metadata):
      try flow.hold(metadata)
    case .message(let bytes):
      let (metadata, mustWait) = try flow.queue(bytes.count + 5)
      let (streamID, connection) = (streamID, connection)
      connection.eventLoop.execute {
        connection.value.queueMessage(streamID, metadata: metadata, bytes)
        connection.value.flushSoon()
      }
      if mustWait { try await flow.waitForDrain() }
    case .status(let status, let trailers):
      let (metadata, open) = flow.finishWriting()
      guard open else { return }
      let (streamID, connection) = (streamID, connection)
      connection.eventLoop.execute { connection.value.sendStatus(streamID, metadata: metadata, status, trailers) }
    }
  }

  func write(contentsOf elements: some Sequence<Element>) async throws {
    for element in elements { try await write(element) }
  }

  /// GRPCCore writes the status before finishing; a writer finished without one ends the
  /// stream with INTERNAL rather than leaving the client waiting.
  func finish() async {
    try? await write(.status(Status(code: .internalError, message: "the handler ended without a status"), [:]))
  }

  func finish(throwing error: any Error) async {
    let status = (error as? RPCError).map { Status(code: Status.Code($0.code), message: $0.message) }
    try? await write(.status(status ?? Status(code: .internalError, message: "the response failed"), [:]))
  }
}
