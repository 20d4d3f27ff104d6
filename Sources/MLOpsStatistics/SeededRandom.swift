import Foundation

/// A small seeded generator (SplitMix64) with uniform and standard normal variates, so a
/// profile's reservoir sample, a benchmark's data and a test's stream are the same every run.
public struct SeededRandom: Sendable {
  private var state: UInt64
  private var spare: Double?

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1), 53 bits.
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Standard normal by Box–Muller, both variates of a pair used in turn.
  public mutating func normal() -> Double {
    if let spare {
      self.spare = nil
      return spare
    }
    let (u, v) = (max(uniform(), 0x1p-60), uniform())
    let radius = (-2 * log(u)).squareRoot()
    spare = radius * sin(2 * .pi * v)
    return radius * cos(2 * .pi * v)
  }
}
