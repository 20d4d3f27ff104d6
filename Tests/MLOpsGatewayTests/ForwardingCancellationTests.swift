import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsTestSupport
import Testing

@Suite("A caller that leaves cancels the upstream call")
struct ForwardingCancellationTests {
  @Test("a caller that cancels a forwarded call cancels the upstream handler, relayed or not", arguments: [true, false])
  func cancelReachesUpstream(relayed: Bool) async throws {
    let echo = EchoService()
    try await ForwardingServiceTests().withGateway(echo: echo, relayed: relayed) { gateway, _ in
      let call = Task { try await DefaultDeadlineTests().stall(gateway, milliseconds: 60_000, timeout: .seconds(120)) }
      let limit = ContinuousClock.now + .seconds(30)
      while echo.stalls.started == 0, ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
      #expect(echo.stalls.started == 1, "the call reached the upstream handler")
      call.cancel()
      while echo.stalls.cancelled == 0, ContinuousClock.now < limit + .seconds(30) { try await Task.sleep(for: .milliseconds(5)) }
      #expect(echo.stalls.cancelled == 1, "the upstream handler was cancelled, not left stalling for a minute")
    }
  }

  @Test("a caller that leaves a forwarded watch while it idles cancels the upstream handler at once")
  func leavingWatchReachesUpstream() async throws {
    let echo = EchoService()
    try await ForwardingServiceTests().withGateway(echo: echo) { gateway, _ in
      let watch = Task {
        try await gateway.serverStreaming(
          request: ClientRequest(message: [UInt8]()), descriptor: EchoService.idle, serializer: RawBytesCodec(),
          deserializer: RawBytesCodec(), options: .defaults
        ) { response in
          for try await _ in response.messages { try await Task.sleep(for: .seconds(120)) }
        }
      }
      let limit = ContinuousClock.now + .seconds(30)
      while echo.stalls.started == 0, ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
      #expect(echo.stalls.started == 1, "the watch reached the upstream handler")
      watch.cancel()
      while echo.stalls.cancelled == 0, ContinuousClock.now < limit + .seconds(30) { try await Task.sleep(for: .milliseconds(5)) }
      #expect(echo.stalls.cancelled == 1, "the upstream watch was cancelled, not left idling until its next message")
    }
  }
}
