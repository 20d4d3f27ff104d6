import NIOCore

/// What a relay knows, under its lock: the peer's addresses, and per event loop the open
/// connections (round-robin), the attempts under way and when a failed address may be tried
/// again (0.1 s, doubling to 2 s).
struct RelayState {
  struct Open {
    var address: SocketAddress
    var id: ObjectIdentifier
    var connection: NIOLoopBound<NGHTTP2ClientConnection>
  }

  struct Pool {
    var ready: [Open] = []
    var opening: Set<SocketAddress> = []
    var retry: [SocketAddress: (at: NIODeadline, backoff: TimeAmount)] = [:]
    var next = 0
  }

  var addresses: [SocketAddress]
  var resolvedAt: NIODeadline?
  var resolving = false
  var closed = false
  var pools: [ObjectIdentifier: Pool] = [:]

  init(addresses: [SocketAddress]) {
    self.addresses = addresses
    self.resolvedAt = addresses.isEmpty ? nil : .now()
  }

  /// The loop's next open connection, and whether the loop has one to every address of a
  /// resolution under 30 s old (else ``claim(loop:now:)`` should run: a replica may have come).
  mutating func pick(loop: ObjectIdentifier, now: NIODeadline) -> (NIOLoopBound<NGHTTP2ClientConnection>?, complete: Bool) {
    guard !closed else { return (nil, true) }
    guard var pool = pools[loop], !pool.ready.isEmpty else { return (nil, false) }
    pool.next &+= 1
    let chosen = pool.ready[pool.next % pool.ready.count].connection
    let fresh = resolving || resolvedAt.map { now - $0 <= Self.resolveEvery } ?? false
    let complete = pool.ready.count >= addresses.count && fresh
    pools[loop] = pool
    return (chosen, complete)
  }

  /// How often the peer's names are looked up again.
  static let resolveEvery: TimeAmount = .seconds(30)

  /// The addresses the loop should connect to now (marked as opening), and whether the
  /// peer's names should be looked up again (never yet, or over 30 s ago).
  mutating func claim(loop: ObjectIdentifier, now: NIODeadline) -> ([SocketAddress], resolve: Bool) {
    guard !closed else { return ([], false) }
    let stale = resolvedAt.map { now - $0 > Self.resolveEvery } ?? true
    let resolve = stale && !resolving
    if resolve { resolving = true }
    var pool = pools[loop] ?? Pool()
    let connected = Set(pool.ready.map(\.address))
    let targets = addresses.filter { address in
      !connected.contains(address) && !pool.opening.contains(address) && (pool.retry[address].map { $0.at <= now } ?? true)
    }
    pool.opening.formUnion(targets)
    pools[loop] = pool
    return (targets, resolve)
  }

  mutating func resolved(_ found: [SocketAddress], now: NIODeadline) {
    resolving = false
    resolvedAt = now
    if !found.isEmpty { addresses = found }
  }

  /// A connection opened; false when the relay has closed since (the caller closes it).
  mutating func opened(
    loop: ObjectIdentifier, address: SocketAddress, connection: NIOLoopBound<NGHTTP2ClientConnection>, id: ObjectIdentifier
  )
    -> Bool
  {
    guard !closed else { return false }
    pools[loop, default: Pool()].opening.remove(address)
    pools[loop, default: Pool()].retry[address] = nil
    pools[loop, default: Pool()].ready.append(Open(address: address, id: id, connection: connection))
    return true
  }

  mutating func failed(loop: ObjectIdentifier, address: SocketAddress, now: NIODeadline) {
    pools[loop, default: Pool()].opening.remove(address)
    let backoff = pools[loop]?.retry[address].map { min($0.backoff * 2, .seconds(2)) } ?? .milliseconds(100)
    pools[loop, default: Pool()].retry[address] = (now + backoff, backoff)
  }

  /// An open connection became unusable (closed, or the peer going away).
  mutating func lost(loop: ObjectIdentifier, connection id: ObjectIdentifier, address: SocketAddress, now: NIODeadline) {
    pools[loop]?.ready.removeAll { $0.id == id }
    pools[loop, default: Pool()].retry[address] = (now + .milliseconds(100), .milliseconds(100))
  }

  /// Takes no more calls; the open connections, for closing.
  mutating func close() -> [NIOLoopBound<NGHTTP2ClientConnection>] {
    closed = true
    defer { pools = [:] }
    return pools.values.flatMap { $0.ready.map(\.connection) }
  }
}
