import GRPCCore
import GRPCNIOTransportHTTP2

/// Every address of every host a peer is configured with, each its own endpoint, so that
/// round-robin spreads calls over all replicas: a Kubernetes headless Service name that
/// resolves to three pods gives three endpoints (gRPC's own DNS resolver gives one endpoint
/// holding all three addresses, which connects to the first only).
public struct PeerTarget: ResolvableTarget, Sendable {
  public let hosts: [PeerAddress.Host]

  public init(hosts: [PeerAddress.Host]) {
    self.hosts = hosts
  }
}

/// Resolves a ``PeerTarget`` through DNS host by host, whenever the channel asks (when it
/// starts, and again after connections fail, so replicas that came or went are followed).
/// A host that does not resolve is left out while another does; all failing is an error the
/// channel retries with back-off.
public struct PeerResolverFactory: NameResolverFactory, Sendable {
  public typealias Target = PeerTarget

  public init() {}

  public func resolver(for target: PeerTarget) -> NameResolver {
    let first = target.hosts.first.map { "\($0.host):\($0.port)" }
    return NameResolver(names: RPCAsyncSequence(wrapping: Resolution(target: target)), updateMode: .pull, authority: first)
  }

  /// One resolution per iteration step, as gRPC's pull mode expects.
  struct Resolution: AsyncSequence, Sendable {
    typealias Element = NameResolutionResult
    let target: PeerTarget

    func makeAsyncIterator() -> Iterator { Iterator(target: target) }

    struct Iterator: AsyncIteratorProtocol {
      let target: PeerTarget

      mutating func next() async throws -> NameResolutionResult? {
        var endpoints: [Endpoint] = []
        var failure: (any Error)?
        for host in target.hosts {
          do {
            var names = NameResolvers.DNS().resolver(for: .init(host: host.host, port: host.port)).names.makeAsyncIterator()
            for endpoint in try await names.next()?.endpoints ?? [] {
              for address in endpoint.addresses where !endpoints.contains(where: { $0.addresses == [address] }) {
                endpoints.append(Endpoint(addresses: [address]))
              }
            }
          } catch {
            failure = error
          }
        }
        if endpoints.isEmpty, let failure { throw failure }
        return NameResolutionResult(endpoints: endpoints, serviceConfig: nil)
      }
    }
  }
}

extension HTTP2ClientTransport.Posix {
  /// A plaintext connection to every replica of `address`, calls spread round-robin over the
  /// ones that are up: a replica that refuses connections is skipped (passive health) and
  /// tried again with back-off (0.1 s growing to 2 s) until it answers.
  public static func peer(_ address: PeerAddress, config: Config = .defaults) throws -> Self {
    var resolvers = NameResolverRegistry.defaults
    resolvers.registerFactory(PeerResolverFactory())
    return try Self(
      target: PeerTarget(hosts: address.hosts), transportSecurity: .plaintext, config: config, resolverRegistry: resolvers,
      serviceConfig: ServiceConfig(loadBalancingConfig: [.roundRobin]))
  }
}
