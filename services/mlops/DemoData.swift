import Foundation

/// The demo's data, the same on every run: standard-normal feature vectors (the distribution
/// the shipped models were trained on, `scripts/demo/make-demo-models.py`), shifted on demand
/// to show drift. SplitMix64 and Box–Muller: no dependency, no global random state.
struct DemoData {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// The next 64 random bits (SplitMix64).
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A standard-normal draw (Box–Muller).
  mutating func normal() -> Double {
    let u1 = (Double(next() >> 11) + 1) / Double(1 << 53)
    let u2 = Double(next() >> 11) / Double(1 << 53)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// `count` vectors of `width` features, each moved by `shift`.
  mutating func vectors(_ count: Int, width: Int = 8, shift: Double = 0) -> [[Double]] {
    (0..<count).map { _ in (0..<width).map { _ in normal() + shift } }
  }
}
