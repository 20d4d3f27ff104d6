import Foundation

/// Two-sample tests that need no tables: the Kolmogorov–Smirnov statistic, the two-proportion
/// z-test, and the Benjamini–Hochberg correction across many columns' p-values.
public enum SampleTests {
  /// The two-sample Kolmogorov–Smirnov statistic D = sup |F₁ − F₂| (`ks_2samp(...).statistic`).
  public static func kolmogorovSmirnovStatistic(_ u: [Double], _ v: [Double]) -> Double {
    let a = u.sorted(), b = v.sorted()
    var i = 0, j = 0
    var d = 0.0
    while i < a.count, j < b.count {
      let next = min(a[i], b[j])
      while i < a.count, a[i] == next { i += 1 }
      while j < b.count, b[j] == next { j += 1 }
      d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
    }
    return d
  }

  /// The pooled two-proportion z-test: z and its two-sided p-value.
  public static func twoProportions(successes1: Int, trials1: Int, successes2: Int, trials2: Int) -> (z: Double, pValue: Double) {
    let p1 = Double(successes1) / Double(trials1), p2 = Double(successes2) / Double(trials2)
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
