/// Chooses the variant that answers a request. Each serving variant owns a range of the
/// interval [0, 100) as wide as its weight, in the order of the deployment's variants; a
/// request lands at a point of that interval — a hash of its routing key, so one caller
/// stays on one variant, or a random point when it has none. Changing two variants' weights
/// by 10 points moves exactly the keys in the 10 points between the ranges and no others.
public struct TrafficSplit: Sendable, Equatable {
  /// Upper ends of each variant's range, ascending; the last is 100.
  let bounds: [Double]

  /// - Parameter weights: percentages adding up to 100, or all 0 for an even split.
  public init(weights: [Double]) {
    let total = weights.reduce(0, +)
    let shares = total > 0 ? weights.map { $0 * 100 / total } : weights.map { _ in 100 / Double(max(weights.count, 1)) }
    var running = 0.0
    bounds = shares.map { share in
      running += share
      return running
    }
  }

  /// The index of the variant for a point in [0, 100); a zero-weight variant owns no range.
  public func index(at point: Double) -> Int {
    if let index = bounds.firstIndex(where: { point < $0 }) { return index }
    // Rounding can leave the last bound a hair under 100: the last variant with a share.
    var last = bounds.count - 1
    while last > 0, bounds[last] <= bounds[last - 1] { last -= 1 }
    return max(last, 0)
  }

  /// The index for a routing key (sticky), or a random one when the key is empty.
  public func index(forKey key: String) -> Int {
    index(at: key.isEmpty ? Double.random(in: 0..<100) : Self.point(key))
  }

  /// A key's fixed point in [0, 100): FNV-1a, then SplitMix64's finaliser so nearby keys
  /// ("user-1", "user-2") spread evenly.
  static func point(_ key: String) -> Double {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
    hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
    hash ^= hash >> 31
    return Double(hash >> 11) / Double(1 << 53) * 100
  }
}
