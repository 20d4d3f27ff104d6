import GRPCCore
import MLOpsCore
import MLOpsProto

/// `mlops.gateway.v1.GatewayService`. GetPlatformStatus is answered by probing every peer's
/// `grpc.health.v1` over the gateway's own forwarding connections; API keys by the key
/// manager; policies and the audit by the policy services; lineage by asking the peers.
public struct GatewayService: RegistrableRPCService {
  typealias Methods = Mlops_Gateway_V1_GatewayService.Method

  let peers: [GRPCClientService]
  /// Where this gateway itself listens, reported as the first row.
  let ownAddress: String
  let probeTimeout: Duration
  /// Nil with `--auth=off`: the key RPCs then say so.
  let keys: KeyManager?
  /// Nil with `--auth=off`: policies need to know who set them.
  let policy: PolicyServices?
  /// Nil only in tests that run the gateway without its peers.
  let lineage: LineageBuilder?

  public init(
    peers: [GRPCClientService], ownAddress: String, keys: KeyManager? = nil, policy: PolicyServices? = nil,
    lineage: LineageBuilder? = nil, probeTimeout: Duration = .seconds(1)
  ) {
    self.peers = peers
    self.ownAddress = ownAddress
    self.keys = keys
    self.policy = policy
    self.lineage = lineage
    self.probeTimeout = probeTimeout
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    if let lineage {
      router.registerUnary(Methods.GetModelLineage.self) { (r: Mlops_Gateway_V1_GetModelLineageRequest, _) in
        try await lineage.lineage(r.deployment)
      }
    } else {
      UnimplementedService(methods: [Methods.GetModelLineage.descriptor], capability: "lineage (this gateway has no peers)")
        .registerMethods(with: &router)
    }
    registerKeyMethods(with: &router)
    registerPolicyMethods(with: &router)
    router.registerUnary(Methods.GetPlatformStatus.self) {
      (_: Mlops_Gateway_V1_GetPlatformStatusRequest, _) in
      try await platformStatus()
    }
  }

  /// The gateway (answering this call, so serving) and every peer, probed concurrently.
  func platformStatus() async throws -> Mlops_Gateway_V1_GetPlatformStatusResponse {
    let timeout = probeTimeout
    let probed = await withTaskGroup(of: (Int, Mlops_Gateway_V1_ServiceStatus).self) { group in
      for (index, peer) in peers.enumerated() {
        group.addTask { (index, await Self.probe(peer, timeout: timeout)) }
      }
      var rows: [(Int, Mlops_Gateway_V1_ServiceStatus)] = []
      for await row in group { rows.append(row) }
      return rows.sorted { $0.0 < $1.0 }.map(\.1)
    }
    let own = Mlops_Gateway_V1_ServiceStatus.with {
      $0.name = "gateway"
      $0.address = ownAddress
      $0.status = "SERVING"
    }
    return .with { $0.services = [own] + probed }
  }

  static func probe(_ peer: GRPCClientService, timeout: Duration) async -> Mlops_Gateway_V1_ServiceStatus {
    var row = Mlops_Gateway_V1_ServiceStatus.with {
      $0.name = peer.name
      $0.address = peer.address.description
    }
    let start = ContinuousClock.now
    row.status = await HealthProbe.check(client: peer.client, timeout: timeout).description
    row.latencyMs = (ContinuousClock.now - start).milliseconds
    return row
  }
}
