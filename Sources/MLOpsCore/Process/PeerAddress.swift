import ArgumentParser
import Foundation

/// A peer's `host:port`, or several comma-separated (`a:7001,b:7001`) for replicas that calls
/// are spread over round-robin; parsed strictly so a typo fails at start-up rather than at
/// first call. A host name may itself resolve to several addresses (a Kubernetes headless
/// Service); each address is a replica.
public struct PeerAddress: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
  /// One `host:port` of the peer.
  public struct Host: Sendable, Hashable {
    public var host: String
    public var port: Int
  }

  /// Every configured `host:port`, in the order given; never empty.
  public private(set) var hosts: [Host]
  /// The first host, which names the peer in messages and as its `:authority`.
  public var host: String { hosts[0].host }
  public var port: Int { hosts[0].port }

  public init(host: String, port: Int) {
    self.hosts = [Host(host: host, port: port)]
  }

  public init?(argument: String) {
    var hosts: [Host] = []
    for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
      guard let colon = part.lastIndex(of: ":") else { return nil }
      let host = String(part[..<colon])
      guard !host.isEmpty, let port = Int(part[part.index(after: colon)...]), (1...65535).contains(port) else { return nil }
      hosts.append(Host(host: host, port: port))
    }
    guard (1...64).contains(hosts.count) else { return nil }
    self.hosts = hosts
  }

  public var description: String { hosts.map { "\($0.host):\($0.port)" }.joined(separator: ",") }
  public var defaultValueDescription: String { description }
}
