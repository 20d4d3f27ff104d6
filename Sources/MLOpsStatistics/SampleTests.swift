import Foundation

/// Two-sample tests that need no tables: the two-proportion z-test, and the
/// Benjamini–Hochberg correction across many columns' p-values. (The Kolmogorov–Smirnov test
/// is ``KolmogorovSmirnov``.)
public enum SampleTests {
  /// The pooled two-proportion z-test: z and its two-sided p-value.
  public static func twoProportions(successes1: Int, trials1: Int, successes2: Int, trials2: Int) -> (z: Double, pValue: Double) {
    let p1 = Double(successes1) / Double(trials1)
    let p2 = Double(successes2) / Double(trials2)
    let pooled = Double(successes1 + successes2) / Double(trials1 + trials2)
    let z = (p1 - p2) / (pooled * (1 - pooled) * (1 / Double(trials1) + 1 / Double(trials2))).squareRoot()
    return (z, erfc(abs(z) / 2.0.squareRoot()))
  }

  /// Benjamini–Hochberg adjusted p-values (`scipy.stats.false_discovery_control(method="bh")`),
  /// in the input's order.
  public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
    let m = Double(pValues.count)
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var adjusted = [Double](repeating: 0, count: pValues.count)
    var running = 1.0
    for (rank, index) in order.enumerated().reversed() {
      running = min(running, pValues[index] * m / Double(rank + 1))
      adjusted[index] = min(running, 1)
    }
    return adjusted
  }
}
