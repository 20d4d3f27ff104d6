import GRPCCore
import MLOpsCore
import Synchronization

/// A bidirectional raw method upstream: answers the caller's `x-test` header, then each
/// message reversed.
struct EchoService: RegistrableRPCService {
  static let chat = MethodDescriptor(fullyQualifiedService: "test.v1.Echo", method: "Chat")
  /// Answers after the milliseconds its `x-stall-ms` header names: a peer that is slow.
  static let stall = MethodDescriptor(fullyQualifiedService: "test.v1.Echo", method: "Stall")

  /// How many Stall handlers started, and how many were cancelled while stalling.
  final class Stalls: Sendable {
    private let counts = Mutex((started: 0, cancelled: 0))
    var started: Int { counts.withLock { $0.started } }
    var cancelled: Int { counts.withLock { $0.cancelled } }

    /// Sleeps, counting the start and a cancellation of the RPC (which gRPC signals through
    /// its handle, not by cancelling the handler's task).
    func stall(milliseconds: Int64) async throws {
      counts.withLock { $0.started += 1 }
      let sleeper = Task { try await Task.sleep(for: .milliseconds(milliseconds)) }
      try await withRPCCancellationHandler {
        try await sleeper.value
      } onCancelRPC: {
        self.counts.withLock { $0.cancelled += 1 }
        sleeper.cancel()
      }
    }
  }

  /// Answers one message, then waits for a minute: a watch whose caller leaves while it idles.
  static let idle = MethodDescriptor(fullyQualifiedService: "test.v1.Echo", method: "Idle")

  var stalls = Stalls()

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let stalls = self.stalls
    router.registerHandler(forMethod: Self.stall, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { request, _ in
      let stall = request.metadata[stringValues: "x-stall-ms"].first(where: { _ in true }).flatMap { Int64($0) } ?? 0
      try await stalls.stall(milliseconds: stall)
      return StreamingServerResponse(single: ServerResponse(message: [1]))
    }
    router.registerHandler(forMethod: Self.idle, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { _, _ in
      StreamingServerResponse(of: [UInt8].self) { writer in
        try await writer.write([1])
        try await stalls.stall(milliseconds: 60_000)
        return [:]
      }
    }
    router.registerHandler(forMethod: Self.chat, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) {
      request, _ in
      StreamingServerResponse(of: [UInt8].self) { writer in
        let header = request.metadata[stringValues: "x-test"].first(where: { _ in true }) ?? ""
        try await writer.write(Array(header.utf8))
        for try await message in request.messages { try await writer.write(message.reversed()) }
        return ["x-upstream": "echo"]
      }
    }
  }
}
