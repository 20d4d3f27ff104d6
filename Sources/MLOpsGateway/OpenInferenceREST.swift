import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird
import MLOpsCore
import MLOpsProto

/// The Open Inference Protocol's REST binding on the gateway's HTTP port (KServe v2, issue
/// #28): `/v2/health/live|ready`, `/v2/models/{name}[/versions/{v}]`, `.../ready` and
/// `.../infer`, each the router's `inference.GRPCInferenceService` call behind the same key
/// check. Tensors travel as JSON arrays (`data`, flattened row-major); errors as `{"error"}`.
public struct OpenInferenceREST: HTTPRouteProvider {
  typealias OIP = Inference_GRPCInferenceService.Method

  let router: GRPCClient<HTTP2ClientTransport.Posix>
  let authorizer: CallAuthorizer?
  let deadline: Duration

  /// - Parameters:
  ///   - router: the gateway's client of the inference router.
  ///   - authorizer: the key check (nil: auth off).
  ///   - deadline: the limit of each upstream call.
  public init(router: GRPCClient<HTTP2ClientTransport.Posix>, authorizer: CallAuthorizer?, deadline: Duration) {
    self.router = router
    self.authorizer = authorizer
    self.deadline = deadline
  }

  var client: Inference_GRPCInferenceService.Client<HTTP2ClientTransport.Posix> { .init(wrapping: router) }

  public func addRoutes(to router: Router<BasicRequestContext>) {
    router.get("/v2/health/live") { request, _ in
      await answer(request, OIP.ServerLive.descriptor) { metadata, options in
        let live = try await client.serverLive(.init(), metadata: metadata, options: options).live
        return (live ? .ok : .serviceUnavailable, ["live": live])
      }
    }
    router.get("/v2/health/ready") { request, _ in
      await answer(request, OIP.ServerReady.descriptor) { metadata, options in
        let ready = try await client.serverReady(.init(), metadata: metadata, options: options).ready
        return (ready ? .ok : .serviceUnavailable, ["ready": ready])
      }
    }
    for prefix in ["/v2/models/:name", "/v2/models/:name/versions/:version"] {
      addModelRoutes(prefix, to: router)
    }
  }

  private func addModelRoutes(_ prefix: String, to router: Router<BasicRequestContext>) {
    router.get(RouterPath(prefix)) { request, context in
      let (name, version) = (context.parameters.get("name") ?? "", context.parameters.get("version") ?? "")
      return await answer(request, OIP.ModelMetadata.descriptor) { metadata, options in
        let m = try await client.modelMetadata(
          .with {
            $0.name = name
            $0.version = version
          }, metadata: metadata, options: options)
        let tensors = { (list: [Inference_ModelMetadataResponse.TensorMetadata]) in
          list.map { ["name": $0.name, "datatype": $0.datatype, "shape": $0.shape] as [String: Any] }
        }
        return (
          .ok, ["name": m.name, "versions": m.versions, "platform": m.platform, "inputs": tensors(m.inputs), "outputs": tensors(m.outputs)]
        )
      }
    }
    router.get(RouterPath(prefix + "/ready")) { request, context in
      let (name, version) = (context.parameters.get("name") ?? "", context.parameters.get("version") ?? "")
      return await answer(request, OIP.ModelReady.descriptor) { metadata, options in
        let ready = try await client.modelReady(
          .with {
            $0.name = name
            $0.version = version
          }, metadata: metadata, options: options
        ).ready
        return (ready ? .ok : .serviceUnavailable, ["name": name, "ready": ready])
      }
    }
    router.post(RouterPath(prefix + "/infer")) { request, context in
      let (name, version) = (context.parameters.get("name") ?? "", context.parameters.get("version") ?? "")
      return await answer(request, OIP.ModelInfer.descriptor) { metadata, options in
        let body = try await request.body.collect(upTo: GRPCServerService.maxPayloadBytes)
        let infer = try OIPTensors.request(Array(buffer: body), model: name, version: version)
        let response = try await client.modelInfer(infer, metadata: metadata, options: options)
        return (.ok, try OIPTensors.answer(response))
      }
    }
  }

  /// Checks the key for `rpc`, runs `body`, writes its JSON object; a failure is
  /// `{"error": message}` with the status gRPC-to-HTTP gateways give its code.
  private func answer(
    _ request: Request, _ rpc: MethodDescriptor,
    _ body: (Metadata, CallOptions) async throws -> (HTTPResponse.Status, [String: Any])
  ) async -> Response {
    var admission: CallAuthorizer.Admission?
    do {
      admission = try authorizer?.admit(authorization: request.headers[.authorization], to: rpc)
      var options = CallOptions.defaults
      options.timeout = deadline
      let (status, object) = try await body(admission?.metadata ?? Metadata(), options)
      admission?.record("OK")
      return Self.json(object, status: status)
    } catch {
      let failure = JSONFront.rpcError(error)
      admission?.record("\(failure.code)")
      return Self.json(["error": failure.message], status: HTTPResponse.Status(code: JSONFront.httpStatus(failure.code)))
    }
  }

  static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
    let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data(#"{"error":"cannot encode the answer"}"#.utf8)
    return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
