import Foundation

/// Statistical process control over a series of per-window values: a Shewhart individuals
/// chart with the Western Electric rules, EWMA and tabular CUSUM. The centre line and sigma
/// come from the first `baseline` points (sigma from the mean moving range / d₂ = 1.128, as
/// an individuals chart estimates it), so a later shift does not widen its own limits.
public struct ControlChart: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case shewhart
    case ewma(lambda: Double, width: Double)
    case cusum(k: Double, h: Double)
  }

  public struct Violation: Sendable, Equatable {
    public var index: Int
    public var rule: String
    public var description: String
  }

  /// The plotted value per point: the value itself, its EWMA, or the CUSUM (upper sum when it
  /// leads, minus the lower sum otherwise).
  public var statistics: [Double]
  public var center: Double
  public var upperLimit: Double
  public var lowerLimit: Double
  public var sigma: Double
  public var violations: [Violation]

  public init(values: [Double], kind: Kind, baseline: Int) {
    let base = Array(values.prefix(max(2, min(baseline, values.count))))
    let center = base.isEmpty ? 0 : base.reduce(0, +) / Double(base.count)
    let sigma = Self.sigma(base)
    (self.center, self.sigma) = (center, sigma)
    switch kind {
    case .shewhart:
      statistics = values
      (upperLimit, lowerLimit) = (center + 3 * sigma, center - 3 * sigma)
      violations = Self.westernElectric(values, center: center, sigma: sigma)
    case .ewma(let lambda, let width):
      (statistics, violations) = Self.ewma(values, center: center, sigma: sigma, lambda: lambda, width: width)
      let spread = width * sigma * (lambda / (2 - lambda)).squareRoot()
      (upperLimit, lowerLimit) = (center + spread, center - spread)
    case .cusum(let k, let h):
      (statistics, violations) = Self.cusum(values, center: center, sigma: sigma, k: k, h: h)
      (self.center, upperLimit, lowerLimit) = (0, h * sigma, -h * sigma)
    }
  }

  /// Mean moving range / 1.128; the standard deviation when the moving range is zero.
  static func sigma(_ base: [Double]) -> Double {
    guard base.count >= 2 else { return 0 }
    let ranges = zip(base, base.dropFirst()).map { abs($1 - $0) }
    let movingRange = ranges.reduce(0, +) / Double(ranges.count)
    if movingRange > 0 { return movingRange / 1.128 }
    let mean = base.reduce(0, +) / Double(base.count)
    return (base.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(base.count - 1)).squareRoot()
  }

  /// WE1: one point beyond 3σ; WE2: two of three beyond 2σ on one side; WE3: four of five
  /// beyond 1σ on one side; WE4: eight in a row on one side. Each flagged at the point that
  /// completes it, once per point (the most severe rule).
  static func westernElectric(_ x: [Double], center: Double, sigma: Double) -> [Violation] {
    var found: [Violation] = []
    func beyond(_ range: ArraySlice<Double>, _ zones: Double, above: Bool) -> Int {
      range.count { above ? $0 > center + zones * sigma : $0 < center - zones * sigma }
    }
    for i in x.indices {
      let rules: [(String, String, Bool)] = [
        ("WE1", "one point beyond 3σ", abs(x[i] - center) > 3 * sigma),
        (
          "WE2", "two of three points beyond 2σ on one side",
          i >= 2 && [true, false].contains { beyond(x[(i - 2)...i], 2, above: $0) >= 2 && beyond(x[i...i], 2, above: $0) == 1 }
        ),
        (
          "WE3", "four of five points beyond 1σ on one side",
          i >= 4 && [true, false].contains { beyond(x[(i - 4)...i], 1, above: $0) >= 4 && beyond(x[i...i], 1, above: $0) == 1 }
        ),
        (
          "WE4", "eight points in a row on one side of the centre line",
          i >= 7 && [true, false].contains { beyond(x[(i - 7)...i], 0, above: $0) == 8 }
        ),
      ]
      if let rule = rules.first(where: \.2) { found.append(Violation(index: i, rule: rule.0, description: rule.1)) }
    }
    return found
  }

  static func ewma(_ x: [Double], center: Double, sigma: Double, lambda: Double, width: Double) -> ([Double], [Violation]) {
    var z = center
    var statistics: [Double] = []
    var violations: [Violation] = []
    for (i, value) in x.enumerated() {
      z = lambda * value + (1 - lambda) * z
      statistics.append(z)
      let spread = width * sigma * (lambda / (2 - lambda) * (1 - pow(1 - lambda, 2 * Double(i + 1)))).squareRoot()
      if abs(z - center) > spread {
        violations.append(Violation(index: i, rule: "EWMA", description: "EWMA \(z) outside \(center) ± \(spread)"))
      }
    }
    return (statistics, violations)
  }

  static func cusum(_ x: [Double], center: Double, sigma: Double, k: Double, h: Double) -> ([Double], [Violation]) {
    var (upper, lower) = (0.0, 0.0)
    var statistics: [Double] = []
    var violations: [Violation] = []
    for (i, value) in x.enumerated() {
      upper = max(0, upper + value - center - k * sigma)
      lower = max(0, lower + center - k * sigma - value)
      statistics.append(upper >= lower ? upper : -lower)
      if upper > h * sigma {
        violations.append(Violation(index: i, rule: "CUSUM_UPPER", description: "upper sum \(upper) above h·σ = \(h * sigma)"))
      } else if lower > h * sigma {
        violations.append(Violation(index: i, rule: "CUSUM_LOWER", description: "lower sum \(lower) above h·σ = \(h * sigma)"))
      }
    }
    return (statistics, violations)
  }
}
