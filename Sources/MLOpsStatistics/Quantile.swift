/// Quantiles as numpy computes them by default (linear interpolation between the two nearest
/// order statistics, `method="linear"`), so bin edges match the reference implementation.
public enum Quantile {
  /// The `q`-quantiles (each in 0…1) of already sorted, non-empty `sorted`.
  public static func linear(sorted: [Double], at q: [Double]) -> [Double] {
    q.map { p in
      let position = p * Double(sorted.count - 1)
      let lower = Int(position.rounded(.down))
      let upper = min(lower + 1, sorted.count - 1)
      let fraction = position - Double(lower)
      return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
  }
}
