import GRPCCore
import MLOpsCore

/// Forwards every listed method, as raw bytes, to the process that owns it: unary and
/// streaming alike, metadata in, messages both ways, the upstream status and trailers out.
/// This is how one gateway address serves the whole platform without decoding payloads.
public struct ForwardingService: RegistrableRPCService {
  let methods: [MethodDescriptor]
  let upstream: GRPCClientService
  /// Checks the deployment policy on the methods it gates before they are forwarded.
  let gate: PolicyGate?
  /// How long a unary call that carries no deadline may take upstream (nil: no limit), so a
  /// peer that stops answering cannot hold callers and their connections forever.
  let defaultDeadline: Duration?

  public init(methods: [MethodDescriptor], upstream: GRPCClientService, gate: PolicyGate? = nil, defaultDeadline: Duration? = nil) {
    self.methods = methods
    self.upstream = upstream
    self.gate = gate
    self.defaultDeadline = defaultDeadline
  }

  /// Headers that belong to one hop (HTTP/2 and gRPC framing), not to the caller: forwarding
  /// them would duplicate or corrupt the next hop's own (a `:status` in trailers is a
  /// protocol error that closes the connection).
  /// The application metadata of `metadata`, without hop-by-hop headers (`te`, `content-type`,
  /// `user-agent`) and gRPC's framing (`:…`, `grpc-…`). Removed in place, without hashing: it
  /// runs twice per forwarded call.
  static func endToEnd(_ metadata: Metadata) -> Metadata {
    var result = metadata
    result.removeAll { key, _ in
      key == "te" || key == "content-type" || key == "user-agent" || key.hasPrefix(":") || key.hasPrefix("grpc-")
    }
    return result
  }

  /// The caller's `grpc-timeout` ("250m", "5S", …), so the upstream call gives up when the
  /// caller would. Parsed with the bounds of the spec (8 digits), so no value overflows.
  static func timeout(in metadata: Metadata) -> Duration? {
    metadata[stringValues: "grpc-timeout"].first(where: { _ in true }).flatMap(GRPCTimeout.parse)
  }

  /// The deadline of one forwarded call: the caller's own, else the default for a unary
  /// method (streams run as long as their caller wants).
  public static func deadline(for method: MethodDescriptor, metadata: Metadata, default fallback: Duration?) -> Deadline {
    if let own = timeout(in: metadata) { return Deadline(timeout: own, isDefault: false) }
    guard let fallback, !StreamingMethods.names.contains(method.fullyQualifiedMethod) else {
      return Deadline(timeout: nil, isDefault: false)
    }
    return Deadline(timeout: fallback, isDefault: true)
  }

  /// A forwarded call's time limit, and whether the gateway chose it.
  public struct Deadline: Sendable {
    public var timeout: Duration?
    public var isDefault: Bool
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    for method in methods {
      let gate = PolicyGate.gated.contains(method.fullyQualifiedMethod) ? self.gate : nil
      router.registerHandler(forMethod: method, deserializer: RawBytesCodec(), serializer: RawBytesCodec()) {
        [upstream, defaultDeadline] request, _ in
        let deadline = Self.deadline(for: method, metadata: request.metadata, default: defaultDeadline)
        guard let gate else {
          return StreamingServerResponse(of: [UInt8].self) { writer in
            try await Self.forward(method, request: request, to: upstream, deadline: deadline, writer: writer)
          }
        }
        // A gated method is unary: its one message is checked, then forwarded.
        let single = try await ServerRequest(stream: request)
        try await gate.check(method, single.message, metadata: single.metadata)
        let replay = StreamingServerRequest(single: single)
        return StreamingServerResponse(of: [UInt8].self) { writer in
          try await Self.forward(method, request: replay, to: upstream, deadline: deadline, writer: writer)
        }
      }
    }
  }

  static func forward(
    _ method: MethodDescriptor,
    request: StreamingServerRequest<[UInt8]>,
    to upstream: GRPCClientService,
    deadline: Deadline,
    writer: RPCWriter<[UInt8]>
  ) async throws -> Metadata {
    let outbound = StreamingClientRequest(of: [UInt8].self, metadata: endToEnd(request.metadata)) { out in
      for try await message in request.messages { try await out.write(message) }
    }
    // Fail fast when the peer is down rather than queueing; keep the caller's deadline.
    var options = CallOptions.defaults
    options.waitForReady = false
    options.timeout = deadline.timeout
    // The same limit both ways: answers as large as the requests every process accepts
    // (the 4 MiB default turned a legitimate 5 MB SearchRuns answer into INTERNAL).
    // grpc-swift-nio-transport 2.9.2 sizes the client stream's decoder, which reads the
    // answers, from maxRequestMessageBytes, so both are set.
    options.maxResponseMessageBytes = GRPCServerService.maxPayloadBytes
    options.maxRequestMessageBytes = GRPCServerService.maxPayloadBytes
    do {
      return try await upstream.client.bidirectionalStreaming(
        request: outbound, descriptor: method, serializer: RawBytesCodec(),
        deserializer: RawBytesCodec(), options: options
      ) { response in
        let contents = try response.accepted.get()
        var trailers = Metadata()
        for try await part in contents.bodyParts {
          switch part {
          case .message(let message): try await writer.write(message)
          case .trailingMetadata(let metadata): trailers = endToEnd(metadata)
          }
        }
        return trailers
      }
    } catch let error as RPCError {
      throw relayed(error, method: method, peer: upstream.peer, deadline: deadline)
    }
  }

  /// A peer's failure as the gateway's caller sees it: an answer over the limit (which the
  /// client's decoder calls INTERNAL) is RESOURCE_EXHAUSTED naming the limit, the gateway's
  /// default deadline is named, an unavailable peer is named, and metadata stays end-to-end.
  static func relayed(_ error: RPCError, method: MethodDescriptor, peer: String, deadline: Deadline) -> RPCError {
    if error.code == .internalError, error.message.contains("maximum payload size") {
      return RPCError(
        code: .resourceExhausted,
        message: "\(method.method): the answer of \(peer) is larger than the gateway's limit of \(GRPCServerService.maxPayloadBytes) bytes")
    }
    if error.code == .deadlineExceeded, deadline.isDefault, let timeout = deadline.timeout {
      return RPCError(
        code: .deadlineExceeded,
        message:
          "\(method.method): \(peer) did not answer within the gateway's default deadline of \(timeout) (send a grpc-timeout to choose another)"
      )
    }
    let message = error.code == .unavailable ? "\(peer) is unavailable: \(error.message)" : error.message
    return RPCError(code: error.code, message: message, metadata: endToEnd(error.metadata))
  }
}
