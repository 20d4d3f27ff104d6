import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("Peers with several replicas")
struct PeerReplicaTests {
  /// Health checks `running` has answered, from its `/metrics`.
  static func answered(_ running: RunningServer) async throws -> Int {
    let scrape = try await running.httpGet("/metrics").body
    let prefix = #"grpc_server_started_total{grpc_service="grpc.health.v1.Health",grpc_method="Check"} "#
    return scrape.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
  }

  /// A loopback port nothing listens on: connections to it are refused. The socket stays bound
  /// (not listening) until `body` returns, so no server of a test running beside this one can
  /// take the port and answer the calls meant to be refused (seen in a loaded CI run: 7 of 40).
  static func withRefusingPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(probe) }
    return try await body(port(of: probe))
  }

  /// Binds `probe` to an ephemeral loopback port and returns the port.
  private static func port(of probe: Int32) -> Int {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  @Test("calls to a peer given as several addresses go round-robin to every replica that answers, skipping one that refuses")
  func roundRobin() async throws {
    #expect(PeerAddress(argument: "a:1,b:2")?.hosts.map(\.port) == [1, 2] && PeerAddress(argument: "a:1,b:2")?.description == "a:1,b:2")
    #expect(PeerAddress(argument: "a:1,") == nil && PeerAddress(argument: "a:1,b") == nil && PeerAddress(argument: "a:1,b:70000") == nil)
    try await RunningServer.with(services: []) { a, _ in
      try await RunningServer.with(services: []) { b, _ in
        try await Self.withRefusingPort { refusing in
          let address = try #require(PeerAddress(argument: "127.0.0.1:\(a.grpcPort),127.0.0.1:\(refusing),localhost:\(b.grpcPort)"))
          let peer = try GRPCClientService(name: "replicas", address: address)
          try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await peer.run() }
            let health = Grpc_Health_V1_Health.Client(wrapping: peer.client)
            var calls = 0
            // Every call answers; both live replicas take a share (they start connecting at once).
            while calls < 2000 {
              for _ in 0..<20 { _ = try await health.check(.init()) }
              calls += 20
              if try await Self.answered(a) >= 10, try await Self.answered(b) >= 10 { break }
            }
            let (onA, onB) = (try await Self.answered(a), try await Self.answered(b))
            // At least every call: under load a call whose connection was being replaced can be
            // retried on the other replica and counted by both (seen once in a loaded full run).
            #expect(onA >= 10 && onB >= 10 && onA + onB >= calls, "a: \(onA), b: \(onB) of \(calls)")
            group.cancelAll()
          }
        }
      }
    }
  }
}
