import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// A client controls the `grpc-timeout` header; no value of it may stop a process.
@Suite("The grpc-timeout header")
struct GRPCTimeoutTests {
  @Test("well-formed timeouts parse to their duration, everything else to nil")
  func parse() {
    #expect(GRPCTimeout.parse("5S") == .seconds(5))
    #expect(GRPCTimeout.parse("250m") == .milliseconds(250))
    #expect(GRPCTimeout.parse("99999999H") == .seconds(99_999_999 * 3600))
    #expect(GRPCTimeout.parse("1n") == .nanoseconds(1))
    for bad in ["-5S", "+5S", "5", "S", "", "123456789S", "9223372036854775807H", "5s", "5 S", "٣S", "5SS", "-0S"] {
      #expect(GRPCTimeout.parse(bad) == nil, "\(bad)")
    }
  }

  @Test("a relayed deadline is written in the finest unit within 8 digits, rounded up, and parses back to at least itself")
  func encode() {
    #expect(GRPCTimeout.encode(.milliseconds(250)) == "250000u")
    #expect(GRPCTimeout.encode(.seconds(5)) == "5000000u")
    #expect(GRPCTimeout.encode(.seconds(60)) == "60000000u")
    #expect(GRPCTimeout.encode(.seconds(3600)) == "3600000m")
    #expect(GRPCTimeout.encode(.nanoseconds(1_500)) == "1500n")
    #expect(GRPCTimeout.encode(.zero) == "1n" && GRPCTimeout.encode(.seconds(-3)) == "1n")
    #expect(GRPCTimeout.encode(.seconds(Int64.max)) == "2562048H", "capped at Int64.max nanoseconds")
    for timeout: Duration in [.nanoseconds(123_456_789_012), .microseconds(987_654_321), .seconds(400_000), .milliseconds(1)] {
      let parsed = GRPCTimeout.parse(GRPCTimeout.encode(timeout))
      #expect(parsed.map { $0 >= timeout } == true, "\(timeout) → \(GRPCTimeout.encode(timeout))")
    }
  }

  @Test("a negative or oversized grpc-timeout is INVALID_ARGUMENT naming the header, and the server keeps serving")
  func hostileHeader() async throws {
    try await RunningServer.with(services: [ProbeService(gate: Gate())]) { _, client in
      let health = Grpc_Health_V1_Health.Client(wrapping: client)
      for bad in ["-5S", "-1n", "9223372036854775807H", "+5S", "5x"] {
        await #expect {
          _ = try await health.check(.init(), metadata: ["grpc-timeout": .string(bad)])
        } throws: { error in
          guard let error = error as? RPCError else { return false }
          return error.code == .invalidArgument && error.message.contains("grpc-timeout")
        }
      }
      let observed = try await health.check(.init(), metadata: ["grpc-timeout": "10S"]).status
      #expect(observed == .serving)
    }
  }
}
