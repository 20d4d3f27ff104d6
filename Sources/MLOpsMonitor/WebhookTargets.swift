import Foundation

/// Where alert webhooks may point. Link-local addresses (169.254.0.0/16, fe80::/10 — the cloud
/// metadata service among them) never; loopback, private, shared and unspecified addresses only
/// when allowed (`--allow-private-webhooks`, which `mlops up` sets for a laptop). Literal
/// addresses are checked when a monitor is written; host names when a webhook is sent, against
/// every address they resolve to.
public struct WebhookTargets: Sendable, Equatable {
  public var allowPrivate: Bool

  public init(allowPrivate: Bool) {
    self.allowPrivate = allowPrivate
  }

  /// What kind of address a host is, when that matters.
  enum Kind: Equatable {
    case linkLocal, loopback, privateNetwork, publicOrUnknown
  }

  /// Why `url` may not be a webhook target, or nil. Host names that are not addresses pass
  /// here (except `localhost`); ``refusal(resolving:)`` checks what they resolve to.
  public func refusal(url: String) -> String? {
    guard let host = URL(string: url)?.host, !host.isEmpty else { return "has no host" }
    return refusal(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
  }

  func refusal(host: String) -> String? {
    let lowered = host.lowercased()
    let kind: Kind =
      lowered == "localhost" || lowered.hasSuffix(".localhost") ? .loopback : Self.kind(ofAddress: lowered) ?? .publicOrUnknown
    switch kind {
    case .linkLocal: return "'\(host)' is a link-local address (such as the cloud metadata service); webhooks may not reach it"
    case .loopback where !allowPrivate, .privateNetwork where !allowPrivate:
      return
        "'\(host)' is a \(kind == .loopback ? "loopback" : "private-network") address; start the monitor with --allow-private-webhooks to allow it"
    default: return nil
    }
  }

  /// Why a webhook to `url` may not be sent now: its host resolves to a refused address.
  public func refusal(resolving url: String) -> String? {
    if let refused = refusal(url: url) { return refused }
    guard let host = URL(string: url)?.host, Self.kind(ofAddress: host) == nil else { return nil }
    for address in Self.resolve(host) {
      if let refused = refusal(host: address) { return "'\(host)' resolves to \(refused)" }
    }
    return nil
  }

  /// The kind of a literal IPv4 or IPv6 address; nil when `text` is not one.
  static func kind(ofAddress text: String) -> Kind? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      let a = UInt32(bigEndian: v4.s_addr)
      let (o1, o2) = (a >> 24, (a >> 16) & 0xff)
      if o1 == 169 && o2 == 254 { return .linkLocal }
      if o1 == 127 { return .loopback }
      if o1 == 10 || (o1 == 172 && (16...31).contains(o2)) || (o1 == 192 && o2 == 168) || (o1 == 100 && (64...127).contains(o2)) || a == 0 {
        return .privateNetwork
      }
      return .publicOrUnknown
    }
    var v6 = in6_addr()
    guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
    let bytes = withUnsafeBytes(of: &v6) { Array($0) }
    if bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80 { return .linkLocal }
    if bytes[0..<15].allSatisfy({ $0 == 0 }) && (bytes[15] == 1 || bytes[15] == 0) { return bytes[15] == 1 ? .loopback : .privateNetwork }
    if (bytes[0] & 0xfe) == 0xfc { return .privateNetwork }
    if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
      return kind(ofAddress: bytes[12..<16].map(String.init).joined(separator: "."))
    }
    return .publicOrUnknown
  }

  /// Every address `host` resolves to, as text.
  static func resolve(_ host: String) -> [String] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
    defer { freeaddrinfo(first) }
    var addresses: [String] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let info = cursor {
      var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
      if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
        addresses.append(String(cString: buffer))
      }
      cursor = info.pointee.ai_next
    }
    return addresses
  }
}
