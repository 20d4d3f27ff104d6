import AsyncAlgorithms
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Hummingbird
import MLOpsCore
import SwiftProtobuf
import Synchronization

/// Streaming RPCs as newline-delimited JSON, as grpc-gateway streams them: the request body is
/// one message per line (a server-streaming method takes one), and the answer one line per
/// message, `{"result": …}`. A failure before the first answer is an ordinary error response;
/// after it, the stream ends with `{"error": {"code", "status", "message"}}`. A caller that
/// goes away cancels the call.
extension JSONFront {
  static func streamingHandler<M: RPCMethod>(_ method: M.Type, client: GRPCClient<HTTP2ClientTransport.Posix>) -> Handler {
    { request, metadata in
      let lines = AsyncThrowingChannel<ByteBuffer, any Error>()
      // A bad request line stops the call; gRPC then reports the closed stream, so the line's
      // own error is kept to be answered instead.
      let refusal = Mutex<RPCError?>(nil)
      let call = Task {
        do {
          try await client.bidirectionalStreaming(
            request: StreamingClientRequest(metadata: metadata) { writer in
              do {
                try await Self.writeLines(of: request, as: M.Input.self, to: writer)
              } catch let error as RPCError {
                refusal.withLock { $0 = error }
                throw error
              }
            },
            descriptor: M.descriptor, serializer: ProtobufSerializer<M.Input>(), deserializer: ProtobufDeserializer<M.Output>(),
            options: .defaults
          ) { response in
            for try await message in response.messages {
              let json: [UInt8] = try message.jsonUTF8Bytes()
              await lines.send(ByteBuffer(bytes: Array(#"{"result":"#.utf8) + json + Array("}\n".utf8)))
            }
          }
          lines.finish()
        } catch {
          lines.fail(refusal.withLock { $0 } ?? error)
        }
      }
      var iterator = lines.makeAsyncIterator()
      let first: ByteBuffer?
      do { first = try await iterator.next() } catch {
        call.cancel()
        throw error
      }
      let body = ResponseBody { writer in
        do {
          if let first {
            try await writer.write(first)
            do {
              for try await line in lines { try await writer.write(line) }
            } catch let error where !(error is CancellationError) {
              try await writer.write(errorLine(rpcError(error)))
            }
          }
          try await writer.finish(nil)
        } catch {
          call.cancel()
          throw error
        }
      }
      return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }
  }

  /// The request body's lines as messages, each written as soon as its line is complete.
  static func writeLines<Input: SwiftProtobuf.Message>(of request: Request, as: Input.Type, to writer: RPCWriter<Input>) async throws {
    var pending: [UInt8] = []
    var index = 0
    func send(_ line: ArraySlice<UInt8>) async throws {
      index += 1
      guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { return }
      do {
        try await writer.write(try Input(jsonUTF8Bytes: Array(line)))
      } catch let error as RPCError {
        throw error
      } catch {
        throw RPCError(
          code: .invalidArgument, message: "body line \(index): not a \(Input.protoMessageName) in protobuf's JSON mapping: \(error)")
      }
    }
    for try await buffer in request.body {
      pending += buffer.readableBytesView
      while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        try await send(pending[..<newline])
        pending.removeSubrange(...newline)
      }
    }
    try await send(pending[...])
  }

  static func errorLine(_ error: RPCError) -> ByteBuffer {
    struct Line: Encodable {
      struct Body: Encodable {
        let code: Int
        let status: String
        let message: String
      }
      let error: Body
    }
    let line = Line(error: .init(code: error.code.rawValue, status: statusName(error.code), message: error.message))
    return ByteBuffer(bytes: ((try? JSONEncoder().encode(line)) ?? Data()) + Data("\n".utf8))
  }
}
