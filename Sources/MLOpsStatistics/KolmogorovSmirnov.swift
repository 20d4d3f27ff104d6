/// The two-sample Kolmogorov–Smirnov test (two-sided), as `scipy.stats.ks_2samp` computes it
/// with its default method: up to 10,000 values per sample the exact p-value, from the share
/// of lattice paths that leave the band the statistic defines (Hodges 1958, "inside" method);
/// above, the distribution of the one-sample statistic for n = round(n₁n₂/(n₁+n₂))
/// (``KolmogorovDistribution``).
public enum KolmogorovSmirnov {
  /// Above this sample size scipy switches to its asymptotic method.
  public static let maxExactSize = 10_000

  public struct Result: Sendable, Equatable {
    public var statistic: Double
    public var pValue: Double?
  }

  /// - Parameter presorted: both samples are already ascending; the order check is skipped.
  public static func test(_ u: [Double], _ v: [Double], presorted: Bool = false) -> Result {
    let (n1, n2) = (u.count, v.count)
    let g = gcd(n1, n2)
    let h = maxGap(
      Sorting.ascending(u, presorted: presorted), Sorting.ascending(v, presorted: presorted), weight1: n2 / g, weight2: n1 / g)
    let statistic = Double(h) / Double(n1 / g * n2)
    guard max(n1, n2) <= maxExactSize else {
      let en = (Double(n1) * Double(n2) / Double(n1 + n2)).rounded(.toNearestOrEven)
      return Result(statistic: statistic, pValue: KolmogorovDistribution.survival(statistic, n: Int(en)))
    }
    return Result(statistic: statistic, pValue: h == 0 ? 1 : exitProbability(n1, n2, g: g, h: h))
  }

  /// The statistic in units of 1/lcm(n1, n2): max |i·n2/g − j·n1/g| over the merged sample,
  /// where i and j count the values ≤ the current one in each sample — an integer, so ties and
  /// rounding cannot move it.
  static func maxGap(_ a: [Double], _ b: [Double], weight1: Int, weight2: Int) -> Int {
    var i = 0
    var j = 0
    var h = 0
    while i < a.count, j < b.count {
      let next = min(a[i], b[j])
      while i < a.count, a[i] == next { i += 1 }
      while j < b.count, b[j] == next { j += 1 }
      h = max(h, abs(i * weight1 - j * weight2))
    }
    return h
  }

  /// P(D ≥ h/lcm): the probability that a uniformly random lattice path from (0, 0) to (m, n)
  /// touches |x·n/g − y·m/g| ≥ h. Computed directly (not as 1 − P(inside)) so small p-values
  /// keep their precision: Q(x, y) = 1 outside the band, 0 at the origin, and inside
  /// Q(x, y) = (x·Q(x−1, y) + y·Q(x, y−1)) / (x + y) — the path counts, each divided by
  /// C(x+y, y), which keeps every value in [0, 1].
  static func exitProbability(_ n1: Int, _ n2: Int, g: Int, h: Int) -> Double {
    let (m, n) = n1 >= n2 ? (n1, n2) : (n2, n1)
    let (mg, ng) = (m / g, n / g)
    // Inside the band at column x: x·ng − h < y·mg < x·ng + h.
    func window(_ x: Int) -> (low: Int, high: Int) {
      let low = max(floorDivide(x * ng - h, mg) + 1, 0)
      let high = min(ceilDivide(x * ng + h, mg), n + 1)
      return (low, high)
    }
    var (low, high) = window(0)
    var column = [Double](repeating: 1, count: n + 1)
    for y in low..<high { column[y] = 0 }
    for x in 1...m {
      (low, high) = window(x)
      guard low < high else { return 1 }
      var below = 1.0  // Q(x, low − 1): outside the band
      var next = [Double](repeating: 1, count: n + 1)
      for y in low..<high {
        // column[y] is Q(x − 1, y): 1 wherever the previous column was outside the band.
        let value = (Double(x) * column[y] + Double(y) * below) / Double(x + y)
        next[y] = value
        below = value
      }
      column = next
    }
    return column[n]
  }

  static func floorDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
  static func ceilDivide(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -(-a / b) }

  static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
