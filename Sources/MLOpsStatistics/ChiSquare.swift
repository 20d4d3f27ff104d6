/// Pearson's chi-squared test of independence on a 2 × k table of reference and current
/// category counts, as `scipy.stats.chi2_contingency` computes it (with Yates' continuity
/// correction when there is one degree of freedom).
public enum ChiSquare {
  public struct Result: Sendable, Equatable {
    public var statistic: Double
    public var pValue: Double
    public var degreesOfFreedom: Int
  }

  /// - Precondition: every category has a non-zero total (expected counts must be positive).
  public static func contingency(reference: [Int], current: [Int]) -> Result {
    let rows = [reference.map(Double.init), current.map(Double.init)]
    let rowTotals = rows.map { $0.reduce(0, +) }
    let columnTotals = zip(rows[0], rows[1]).map { $0 + $1 }
    let total = rowTotals.reduce(0, +)
    let dof = columnTotals.count - 1
    var statistic = 0.0
    for (r, row) in rows.enumerated() {
      for (c, observed) in row.enumerated() {
        let expected = rowTotals[r] * columnTotals[c] / total
        var difference = abs(observed - expected)
        if dof == 1 { difference = max(difference - 0.5, 0) }
        statistic += difference * difference / expected
      }
    }
    let p = dof == 0 ? 1 : IncompleteGamma.upperRegularized(a: Double(dof) / 2, x: statistic / 2)
    return Result(statistic: statistic, pValue: p, degreesOfFreedom: dof)
  }
}
