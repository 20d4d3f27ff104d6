import GRPCCore

/// Registers every method of a service that a later milestone implements, answering
/// UNIMPLEMENTED with a message naming the capability, never fake data. Registering (rather
/// than leaving the method unknown) lets clients discover the full API, and keeps the per-RPC
/// metrics and error conventions in place from day one.
public struct UnimplementedService: RegistrableRPCService {
  let methods: [MethodDescriptor]
  let capability: String

  /// - Parameters:
  ///   - methods: the generated `Method.descriptors` of the service (or the subset still open).
  ///   - capability: what the methods will provide, e.g. "experiment tracking (issue #4)".
  public init(methods: [MethodDescriptor], capability: String) {
    self.methods = methods
    self.capability = capability
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    for method in methods {
      let message = "\(method.fullyQualifiedMethod) is not implemented yet: \(capability)"
      router.registerHandler(
        forMethod: method,
        deserializer: RawBytesCodec(),
        serializer: RawBytesCodec()
      ) { _, _ in
        StreamingServerResponse(of: [UInt8].self, error: RPCError(code: .unimplemented, message: message))
      }
    }
  }
}

/// Passes message bytes through untouched: used where the platform routes or rejects calls
/// without decoding them (unimplemented methods, the gateway's forwarding).
public struct RawBytesCodec: MessageSerializer, MessageDeserializer {
  public init() {}

  public func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes {
    Bytes(message)
  }

  public func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
    serializedMessageBytes.withUnsafeBytes { Array($0) }
  }
}
