import GRPCCore
import MLOpsCore
import Synchronization

/// Raw-bytes methods for exercising the runtime without a real service: one that waits for the
/// test to release it (graceful shutdown), one that throws a non-gRPC error, one that throws a
/// domain error.
struct ProbeService: RegistrableRPCService {
  static let wait = MethodDescriptor(fullyQualifiedService: "test.v1.Probe", method: "Wait")
  static let crash = MethodDescriptor(fullyQualifiedService: "test.v1.Probe", method: "Crash")
  static let domain = MethodDescriptor(fullyQualifiedService: "test.v1.Probe", method: "Domain")

  let gate: Gate

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    router.registerHandler(forMethod: Self.wait, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) {
      [gate] request, _ in
      StreamingServerResponse(single: ServerResponse(message: try await gate.pass(try await ServerRequest(stream: request).message)))
    }
    router.registerHandler(forMethod: Self.crash, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { _, _ in
      throw PlainSwiftError()
    }
    router.registerHandler(forMethod: Self.domain, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) { _, _ in
      throw SampleDomainError.quotaSpent
    }
  }
}

struct PlainSwiftError: Error {}

enum SampleDomainError: Error, RPCErrorConvertible {
  case quotaSpent
  var rpcErrorCode: RPCError.Code { .resourceExhausted }
  var rpcErrorMessage: String { "batch: quota spent" }
}

/// Lets a handler signal that it started and then wait until the test opens it.
final class Gate: Sendable {
  private let entered = Mutex(false)
  private let opened = Mutex(false)

  func pass(_ message: [UInt8]) async throws -> [UInt8] {
    entered.withLock { $0 = true }
    while !opened.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
    return message.reversed()
  }

  func waitUntilEntered() async throws {
    while !entered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
  }

  func open() { opened.withLock { $0 = true } }
}

extension GRPCClient {
  /// Calls a raw-bytes unary method.
  func rawUnary(_ method: MethodDescriptor, _ bytes: [UInt8]) async throws -> [UInt8] {
    try await unary(
      request: ClientRequest(message: bytes), descriptor: method, serializer: RawBytesCodec(),
      deserializer: RawBytesCodec(), options: .defaults
    ) { try $0.message }
  }
}
