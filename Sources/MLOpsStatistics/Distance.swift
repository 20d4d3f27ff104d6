import Foundation

/// Distances between two distributions, as scipy defines them.
public enum Distance {
  /// Jensen–Shannon distance (natural log), `scipy.spatial.distance.jensenshannon`: the
  /// square root of the mean KL divergence of each distribution from their average. Inputs are
  /// normalised to sum to 1.
  public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
    let sp = p.reduce(0, +), sq = q.reduce(0, +)
    var divergence = 0.0
    for (a, b) in zip(p, q) {
      let x = a / sp, y = b / sq, m = (x + y) / 2
      if x > 0 { divergence += x * log(x / m) }
      if y > 0 { divergence += y * log(y / m) }
    }
    return (max(divergence, 0) / 2).squareRoot()
  }

  /// Wasserstein-1 between two samples, `scipy.stats.wasserstein_distance`: the area between
  /// their empirical CDFs.
  /// A window's drift is measured against a reference of up to a million values on every
  /// window, so the merge runs over raw pointers (no bounds checks); the arithmetic, and so
  /// the result, is the checked loop's.
  public static func wasserstein(_ u: [Double], _ v: [Double]) -> Double {
    precondition(!u.isEmpty && !v.isEmpty, "Wasserstein needs values on both sides")
    let a = Sorting.ascending(u), b = Sorting.ascending(v)
    return a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in area(a, b) } }
  }

  private static func area(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
    let (n, m) = (a.count, b.count)
    let (sizeA, sizeB) = (Double(n), Double(m))
    var i = 0, j = 0
    var previous = min(a[0], b[0])
    var area = 0.0
    while i < n || j < m {
      let next = j >= m || (i < n && a[i] <= b[j]) ? a[i] : b[j]
      area += abs(Double(i) / sizeA - Double(j) / sizeB) * (next - previous)
      while i < n, a[i] == next { i &+= 1 }
      while j < m, b[j] == next { j &+= 1 }
      previous = next
    }
    return area
  }

  /// Wasserstein-1 divided by the reference's standard deviation (population, ddof 0), as
  /// Evidently normalises it so one threshold fits every column's scale.
  /// - Parameter scale: the reference's standard deviation when the caller already has it.
  public static func normalizedWasserstein(reference: [Double], current: [Double], scale: Double? = nil) -> Double {
    wasserstein(reference, current) / (scale ?? standardDeviation(reference))
  }

  /// Population standard deviation (ddof 0), two passes as numpy computes it.
  public static func standardDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
  }
}
