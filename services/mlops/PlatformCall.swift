import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore

/// One connection to the gateway for a CLI command; a failed call becomes the one line the
/// command prints (`cannot reach the platform …` when nothing listens).
enum PlatformCall {
  static func run<T: Sendable>(
    _ endpoint: EndpointOptions, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> T
  ) async throws -> T {
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: endpoint.resolvedHost, port: endpoint.resolvedBasePort), transportSecurity: .plaintext)
    do {
      let interceptors: [any ClientInterceptor] = endpoint.resolvedAPIKey.map { [BearerToken(token: $0)] } ?? []
      return try await withGRPCClient(transport: transport, interceptors: interceptors) { client in try await body(client) }
    } catch let error as RPCError {
      throw StartupError(
        error.code == .unavailable
          ? "cannot reach the platform at \(endpoint.resolvedHost):\(endpoint.resolvedBasePort) (is `mlops up` running?): \(error.message)"
          : error.message)
    }
  }
}

/// Adds `authorization: Bearer <API key>` to every call the CLI makes through the gateway.
struct BearerToken: ClientInterceptor {
  let token: String

  func intercept<Input: Sendable, Output: Sendable>(
    request: StreamingClientRequest<Input>,
    context: ClientContext,
    next: (StreamingClientRequest<Input>, ClientContext) async throws -> StreamingClientResponse<Output>
  ) async throws -> StreamingClientResponse<Output> {
    var request = request
    request.metadata.replaceOrAddString("Bearer \(token)", forKey: "authorization")
    return try await next(request, context)
  }
}
