import GRPCCore
import MLOpsCore
import MLOpsGateway
import MLOpsProto
import MLOpsTestSupport
import Testing

@Suite("GatewayService")
struct GatewayServiceTests {
  @Test("platform status probes every peer: serving ones SERVING, a down one UNREACHABLE")
  func platformStatus() async throws {
    try await RunningServer.with(services: [], serviceNames: []) { peer, _ in
      let up = try GRPCClientService(name: "tracker", address: PeerAddress(host: "127.0.0.1", port: peer.grpcPort))
      let down = try GRPCClientService(name: "registry", address: PeerAddress(host: "127.0.0.1", port: 1))
      // The down peer is refused at once; the long timeout only keeps a loaded machine's slow
      // first answer from reading as UNREACHABLE.
      let service = GatewayService(peers: [up, down], ownAddress: "127.0.0.1:7000", probeTimeout: .seconds(30))
      try await RunningServer.with(services: [service], background: [up, down]) { _, client in
        let gateway = Mlops_Gateway_V1_GatewayService.Client(wrapping: client)
        let rows = try await gateway.getPlatformStatus(.init()).services
        #expect(rows.map(\.name) == ["gateway", "tracker", "registry"])
        #expect(rows.map(\.status) == ["SERVING", "SERVING", "UNREACHABLE"])
        #expect(rows[1].address == "127.0.0.1:\(peer.grpcPort)")
        #expect(rows[1].latencyMs > 0)
        await #expect {
          _ = try await gateway.listApiKeys(.init())
        } throws: { ($0 as? RPCError)?.code == .unimplemented }
      }
    }
  }
}
