import Foundation
import GRPCCore
import MLOpsCore
import MLOpsTestSupport
import Testing

/// Fast unary routes (issue #27): on the nghttp2 transport a route answers or fails a call on
/// the event loop, or defers it to the service's ordinary handler; on the NIO transport the
/// ordinary handler serves every call. `/metrics` counts each call once, whichever path.
@Suite("Fast unary routes")
struct FastUnaryRouteTests {
  static let route = FastUnaryRoute(method: ProbeService.domain) { request, _, _ in
    switch request {
    case [1]: .answered([9])
    case [2]: .failed(RPCError(code: .notFound, message: "probe: answered by the fast route"))
    default: .deferred
    }
  }

  @Test("a fast route answers, fails, or defers to the ordinary handler; metrics count each call once")
  func outcomes() async throws {
    let fast = WireTransport.fromEnvironment(ProcessInfo.processInfo.environment) == .nghttp2
    let metrics = RPCMetrics()
    try await RunningServer.with(
      services: [ProbeService(gate: Gate())], fastRoutes: [Self.route], metrics: metrics
    ) { running, client in
      func code(_ request: [UInt8]) async -> (RPCError.Code?, [UInt8]?) {
        do { return (nil, try await client.rawUnary(ProbeService.domain, request)) } catch { return ((error as? RPCError)?.code, nil) }
      }
      let answered = await code([1])
      let failed = await code([2])
      let deferred = await code([3])
      #expect(answered.0 == (fast ? nil : .resourceExhausted) && answered.1 == (fast ? [9] : nil))
      #expect(failed.0 == (fast ? .notFound : .resourceExhausted))
      #expect(deferred.0 == .resourceExhausted)
      let scrape = try await running.httpGet("/metrics").body
      #expect(scrape.contains(#"grpc_server_started_total{grpc_service="test.v1.Probe",grpc_method="Domain"} 3"#))
    }
  }
}
