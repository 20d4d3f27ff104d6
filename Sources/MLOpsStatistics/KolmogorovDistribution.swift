import Foundation

/// The distribution of the two-sided one-sample KS statistic Dₙ for finite n — what
/// `scipy.stats.kstwo.sf` computes, and what `ks_2samp` uses for samples above 10,000 values
/// (with n = round(n₁n₂/(n₁+n₂))). The same choice of method by region as scipy's
/// (Simard & L'Ecuyer 2011): Ruben–Gambino closed forms at the ends, twice Smirnov's
/// one-sided exact sum where the two tails cannot overlap or the tail is small, the
/// Durbin matrix (Marsaglia–Tsang–Wang) for small n·x², and the Pelz–Good expansion
/// otherwise. (Where scipy uses Pomeranz's recursion, n ≤ 140 and 0.754693 < n·x² ≤ 4, the
/// Durbin matrix is used: both are exact.)
public enum KolmogorovDistribution {
  /// P(Dₙ ≥ x).
  public static func survival(_ x: Double, n: Int) -> Double {
    guard n > 0 else { return .nan }
    if x >= 1 { return 0 }
    if x <= 0 { return 1 }
    let nd = Double(n)
    let t = nd * x
    if t <= 1 {
      if t <= 0.5 { return 1 }
      // P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ
      return clip(1 - exp(logFactorialOverPower(n) + nd * log(2 * t - 1)))
    }
    if t >= nd - 1 { return clip(2 * pow(1 - x, nd)) }
    if x >= 0.5 { return clip(2 * smirnov(n, x)) }
    let nx2 = t * x
    if n <= 140 {
      return nx2 <= 4 ? clip(1 - durbin(n, x)) : clip(2 * smirnov(n, x))
    }
    if nx2 >= 370 { return 0 }
    if nx2 >= 2.2 { return clip(2 * smirnov(n, x)) }
    let cdf = n <= 100_000 && nd * pow(x, 1.5) <= 1.4 ? durbin(n, x) : pelzGood(n, x)
    return clip(1 - cdf)
  }

  static func clip(_ p: Double) -> Double { min(max(p, 0), 1) }

  /// log(n!/nⁿ).
  static func logFactorialOverPower(_ n: Int) -> Double {
    lgamma(Double(n) + 1) - Double(n) * log(Double(n))
  }

  /// Smirnov's one-sided P(Dₙ⁺ ≥ x) = x Σⱼ C(n, j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j),
  /// j = 0 … ⌊n(1 − x)⌋, each term in logarithms (the binomial updated term by term).
  static func smirnov(_ n: Int, _ x: Double) -> Double {
    let nd = Double(n)
    let last = Int((nd * (1 - x)).rounded(.down))
    var logBinomial = 0.0
    var sum = 0.0
    for j in 0...last {
      if j > 0 { logBinomial += log(nd - Double(j) + 1) - log(Double(j)) }
      let a = x + Double(j) / nd
      let b = 1 - a
      guard b > 0 || j == n else { continue }
      let logTerm = logBinomial + Double(j - 1) * log(a) + (j == n ? 0 : Double(n - j) * log(b))
      if logTerm > -745 { sum += exp(logTerm) }
    }
    return x * sum
  }

  /// P(Dₙ ≤ d) by the Durbin matrix: with d = (k − h)/n, the (k, k) entry of n!/nⁿ·Hⁿ for an
  /// m × m matrix H, m = 2k − 1, powered by squaring and rescaled by 2¹²⁸ to stay finite.
  static func durbin(_ n: Int, _ d: Double) -> Double {
    let nd = Double(n) * d
    if nd <= 0.5 { return 0 }
    let k = Int(nd.rounded(.up))
    let h = Double(k) - nd
    let m = 2 * k - 1
    var matrix = durbinMatrix(m: m, h: h)
    var power = identity(m)
    var (exponent, matrixExponent) = (0, 0)
    var remaining = n
    let scale = 0x1p128
    let scaleExponent = 128
    while remaining > 0 {
      if remaining % 2 == 1 {
        power = multiply(power, matrix, m)
        exponent += matrixExponent
      }
      matrix = multiply(matrix, matrix, m)
      matrixExponent *= 2
      if abs(matrix[(k - 1) * m + k - 1]) > scale {
        for i in matrix.indices { matrix[i] /= scale }
        matrixExponent += scaleExponent
      }
      remaining /= 2
    }
    var p = power[(k - 1) * m + k - 1]
    for i in 1...n {
      p = Double(i) * p / Double(n)
      if abs(p) < 0x1p-128 {
        p *= scale
        exponent -= scaleExponent
      }
    }
    return clip(scalbn(p, exponent))
  }

  /// H[i][j] = 1/(i − j + 1)! for j ≤ i + 1 (0 elsewhere), with the first column and last row
  /// corrected by the powers of h (Marsaglia, Tsang & Wang 2003).
  static func durbinMatrix(m: Int, h: Double) -> [Double] {
    var inverseFactorial = [Double](repeating: 1, count: m + 1)  // 1/j!
    for j in 1...m { inverseFactorial[j] = inverseFactorial[j - 1] / Double(j) }
    var v = (1...m).map { j in (1 - pow(h, Double(j))) * inverseFactorial[j] }
    v[m - 1] = (1 + pow(max(2 * h - 1, 0), Double(m)) - 2 * pow(h, Double(m))) * inverseFactorial[m]
    var matrix = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for j in 1..<m where i - j + 1 >= 0 { matrix[i * m + j] = inverseFactorial[i - j + 1] }
    }
    for i in 0..<m { matrix[i * m] = v[i] }
    for j in 0..<m { matrix[(m - 1) * m + j] = v[m - 1 - j] }
    return matrix
  }

  static func identity(_ m: Int) -> [Double] {
    var matrix = [Double](repeating: 0, count: m * m)
    for i in 0..<m { matrix[i * m + i] = 1 }
    return matrix
  }

  static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * m)
    for i in 0..<m {
      for l in 0..<m {
        let x = a[i * m + l]
        if x == 0 { continue }
        for j in 0..<m { c[i * m + j] += x * b[l * m + j] }
      }
    }
    return c
  }

  /// Pelz–Good (1976): P(Dₙ ≤ x) ≈ K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^{3/2}, z = x√n, each
  /// Kᵢ written as a theta-function series that converges fast for small z.
  static func pelzGood(_ n: Int, _ x: Double) -> Double {
    let nd = Double(n)
    let z = nd.squareRoot() * x
    let (z2, z3, z4, z6) = (z * z, z * z * z, pow(z, 4), pow(z, 6))
    let (pi2, pi4, pi6) = (Double.pi * Double.pi, pow(Double.pi, 4), pow(Double.pi, 6))
    let logQ = -pi2 / 8 / z2
    if logQ < -708 { return 0 }
    let q = exp(logQ)
    let terms = Int((16 * z / Double.pi).rounded(.up))
    var k = [0.0, 0.0, 0.0, 0.0]
    // Σ over odd m = 2j − 1 of c(m)·q^(m²), by Horner in q⁸ʲ.
    for j in stride(from: terms, through: 1, by: -1) {
      let m = Double(2 * j - 1)
      let (m2, m4, m6) = (m * m, pow(m, 4), pow(m, 6))
      let step = pow(q, 8 * Double(j))
      let c = [
        1.0,
        -z2 + pi2 / 4 * m2,
        (6 * z6 + 2 * z4) + (2 * z4 - 5 * z2) * pi2 / 4 * m2 + pi4 * (1 - 2 * z2) / 16 * m4,
        (-30 * z6 - 90 * pow(z, 8)) + pi2 * (135 * z4 - 96 * z6) / 4 * m2 + pi4 * (-60 * z2 + 212 * z4) / 16 * m4
          + pi6 * (5 - 30 * z2) / 64 * m6,
      ]
      for i in 0..<4 { k[i] = k[i] * step + c[i] }
    }
    let root2pi = (2 * Double.pi).squareRoot()
    let divisors = [z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10)]
    for i in 0..<4 { k[i] = k[i] * q * root2pi / divisors[i] }
    // The remaining sums over every integer j of j²·q₂^(j²), q₂ = e^(−π²/2z²).
    let q2 = exp(-pi2 / 2 / z2)
    var (extra2, extra3) = (0.0, 0.0)
    for j in stride(from: terms, through: 1, by: -1) {
      let jd = Double(j)
      let weight = jd * jd * pow(q2, jd * jd)
      extra2 += weight
      extra3 += (3 * z2 - pi2 * jd * jd) * weight
    }
    k[2] += extra2 * pi2 * root2pi / (-36 * z3)
    k[3] += extra3 * pi2 * root2pi / (216 * z6)
    return k[0] + k[1] / nd.squareRoot() + k[2] / nd + k[3] / (nd * nd.squareRoot())
  }
}
