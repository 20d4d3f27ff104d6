import Foundation

/// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a): the survival
/// function of the chi-squared distribution is Q(k/2, x/2). A power series for x < a + 1 and
/// a continued fraction (modified Lentz) otherwise, both to machine precision.
public enum IncompleteGamma {
  public static func upperRegularized(a: Double, x: Double) -> Double {
    precondition(a > 0, "a must be positive")
    if x <= 0 { return 1 }
    if x < a + 1 { return 1 - lowerSeries(a: a, x: x) }
    return upperContinuedFraction(a: a, x: x)
  }

  /// P(a, x) by its series Σ xⁿ / (a (a+1) … (a+n)), scaled by xᵃ e⁻ˣ / Γ(a).
  static func lowerSeries(a: Double, x: Double) -> Double {
    var term = 1 / a
    var sum = term
    var n = a
    for _ in 0..<10_000 {
      n += 1
      term *= x / n
      sum += term
      if abs(term) < abs(sum) * 1e-17 { break }
    }
    return sum * exp(-x + a * log(x) - lgamma(a))
  }

  /// Q(a, x) by its continued fraction, evaluated with the modified Lentz method.
  static func upperContinuedFraction(a: Double, x: Double) -> Double {
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var h = d
    for i in 1..<10_000 {
      let an = -Double(i) * (Double(i) - a)
      b += 2
      d = an * d + b
      if abs(d) < tiny { d = tiny }
      c = b + an / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let delta = d * c
      h *= delta
      if abs(delta - 1) < 1e-17 { break }
    }
    return exp(-x + a * log(x) - lgamma(a)) * h
  }
}
