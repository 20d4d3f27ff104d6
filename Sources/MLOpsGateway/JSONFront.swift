import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Hummingbird
import Logging
import MLOpsCore
import SwiftProtobuf

/// Every unary RPC of the platform as JSON over HTTP, for tools without gRPC (issue #28):
/// `POST /v1/<package.Service>/<Method>` with the request in protobuf's canonical JSON
/// mapping, answered with the response in it. The call is the gRPC one behind the same key
/// check and deployment policy; a failure answers `{"code", "status", "message", "details"}`
/// (gRPC's code, its name, the message, and the platform's `ErrorDetails` in JSON) with the
/// HTTP status gRPC-to-HTTP gateways use. Streaming RPCs take and give newline-delimited JSON
/// (``streamingHandler(_:client:)``).
public struct JSONFront: HTTPRouteProvider {
  /// One service's methods and the client of the process that owns them.
  public struct Upstream: Sendable {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let methods: [MethodDescriptor]

    public init(client: GRPCClient<HTTP2ClientTransport.Posix>, methods: [MethodDescriptor]) {
      self.client = client
      self.methods = methods
    }
  }

  typealias Handler = @Sendable (Request, Metadata) async throws -> Response

  /// Each unary method's descriptor (for its role) and JSON handler, by full name.
  let handlers: [String: (descriptor: MethodDescriptor, handler: Handler)]
  let authorizer: CallAuthorizer?
  let gate: PolicyGate?

  /// - Parameters:
  ///   - upstreams: the services the gateway forwards and the clients of their processes.
  ///   - authorizer: the key check (nil: auth off).
  ///   - gate: the deployment policy (nil: none).
  ///   - deadline: the limit of each upstream call.
  public init(upstreams: [Upstream], authorizer: CallAuthorizer?, gate: PolicyGate?, deadline: Duration) {
    var handlers: [String: (descriptor: MethodDescriptor, handler: Handler)] = [:]
    for method in RPCMethods.all {
      let name = method.descriptor.fullyQualifiedMethod
      guard let upstream = upstreams.first(where: { $0.methods.contains(method.descriptor) }) else { continue }
      handlers[name] =
        StreamingMethods.names.contains(name)
        ? (method.descriptor, Self.streamingHandler(method, client: upstream.client))
        : (method.descriptor, Self.handler(method, client: upstream.client, gate: gate, deadline: deadline))
    }
    self.handlers = handlers
    self.authorizer = authorizer
    self.gate = gate
  }

  public func addRoutes(to router: Router<BasicRequestContext>) {
    router.post("/v1/:service/:method") { request, context in
      let name = "\(context.parameters.get("service") ?? "")/\(context.parameters.get("method") ?? "")"
      return await answer(request, method: name)
    }
  }

  private func answer(_ request: Request, method name: String) async -> Response {
    var admission: CallAuthorizer.Admission?
    do {
      guard let (descriptor, handler) = handlers[name] else {
        throw RPCError(code: .unimplemented, message: "no RPC \(name) here (POST /v1/<package.Service>/<Method>)")
      }
      admission = try authorizer?.admit(authorization: request.headers[.authorization], to: descriptor)
      let response = try await handler(request, admission?.metadata ?? Metadata())
      admission?.record("OK")
      return response
    } catch {
      let failure = Self.rpcError(error)
      admission?.record("\(failure.code)")
      return Self.failure(failure)
    }
  }

  /// The JSON handler of one method: decode, check the policy where it applies, call, encode.
  static func handler<M: RPCMethod>(
    _ method: M.Type, client: GRPCClient<HTTP2ClientTransport.Posix>, gate: PolicyGate?, deadline: Duration
  ) -> Handler {
    let gated = PolicyGate.gated.contains(M.descriptor.fullyQualifiedMethod) ? gate : nil
    return { request, metadata in
      let body = try await request.body.collect(upTo: GRPCServerService.maxPayloadBytes)
      let input: M.Input
      do {
        input = try M.Input(jsonUTF8Bytes: Array(buffer: body))
      } catch {
        throw RPCError(code: .invalidArgument, message: "body: not a \(M.Input.protoMessageName) in protobuf's JSON mapping: \(error)")
      }
      if let gated { try await gated.check(M.descriptor, try input.serializedBytes(), metadata: metadata) }
      var options = CallOptions.defaults
      options.timeout = deadline
      let output = try await client.unary(
        request: ClientRequest(message: input, metadata: metadata), descriptor: M.descriptor,
        serializer: ProtobufSerializer<M.Input>(), deserializer: ProtobufDeserializer<M.Output>(), options: options
      ) { try $0.message }
      let json: [UInt8] = try output.jsonUTF8Bytes()
      return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
  }
}
