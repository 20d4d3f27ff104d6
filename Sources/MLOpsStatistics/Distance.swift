import Foundation

/// Distances between two distributions, as scipy defines them.
public enum Distance {
  /// Jensen–Shannon distance (natural log), `scipy.spatial.distance.jensenshannon`: the
  /// square root of the mean KL divergence of each distribution from their average. Inputs are
  /// normalised to sum to 1.
  public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
    let sp = p.reduce(0, +)
    let sq = q.reduce(0, +)
    var divergence = 0.0
    for (a, b) in zip(p, q) {
      let x = a / sp
      let y = b / sq
      let m = (x + y) / 2
      if x > 0 { divergence += x * log(x / m) }
      if y > 0 { divergence += y * log(y / m) }
    }
    return (max(divergence, 0) / 2).squareRoot()
  }

  /// Wasserstein-1 between two samples, `scipy.stats.wasserstein_distance`: the area between
  /// their empirical CDFs.
  /// - Parameter presorted: both samples are already ascending (a stored profile against a
  ///   window sorted for drift), so the O(n) order check on each is skipped.
  public static func wasserstein(_ u: [Double], _ v: [Double], presorted: Bool = false) -> Double {
    precondition(!u.isEmpty && !v.isEmpty, "Wasserstein needs values on both sides")
    let a = Sorting.ascending(u, presorted: presorted)
    let b = Sorting.ascending(v, presorted: presorted)
    // The area is symmetric; walking the larger sample in runs makes long runs the common case.
    let (long, short) = a.count >= b.count ? (a, b) : (b, a)
    return long.withUnsafeBufferPointer { l in short.withUnsafeBufferPointer { s in area(l, s) } }
  }

  /// Σ |F_a − F_b|·Δx over the merged order of two sorted samples. A window's drift is
  /// measured against a reference of up to a million values on every window, so:
  /// - both CDFs are scaled by n·m to integers (|i·m − j·n|, exact in a Double), with one
  ///   division at the end where scipy divides twice per step;
  /// - each value's step is weighted by the counts of values before it, so ties need no case
  ///   of their own (their Δx is 0);
  /// - between two values of `b`, the run of `a` values is summed in a tight loop that
  ///   compares each with one bound and carries its weight as a running Double.
  /// The summation order differs from scipy's; results agree to rounding (~1e-15 relative).
  private static func area(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
    let (n, m) = (a.count, b.count)
    let step = Double(m)
    var i = 0
    var previous = min(a[0], b[0])
    var total = 0.0
    for j in 0..<m {
      let bound = b[j]
      var weight = Double(i * m - j * n)
      var run = 0.0
      while i < n, a[i] <= bound {
        run += abs(weight) * (a[i] - previous)
        previous = a[i]
        weight += step
        i &+= 1
      }
      total += run + abs(weight) * (bound - previous)
      previous = bound
    }
    var weight = Double(i * m - m * n)
    var run = 0.0
    while i < n {
      run += abs(weight) * (a[i] - previous)
      previous = a[i]
      weight += step
      i &+= 1
    }
    return (total + run) / (Double(n) * Double(m))
  }

  /// Wasserstein-1 divided by the reference's standard deviation (population, ddof 0), as
  /// Evidently normalises it so one threshold fits every column's scale.
  /// - Parameter scale: the reference's standard deviation when the caller already has it.
  /// - Parameter presorted: as for ``wasserstein(_:_:presorted:)``.
  public static func normalizedWasserstein(
    reference: [Double], current: [Double], scale: Double? = nil, presorted: Bool = false
  ) -> Double {
    wasserstein(reference, current, presorted: presorted) / (scale ?? standardDeviation(reference))
  }

  /// Population standard deviation (ddof 0), two passes as numpy computes it.
  public static func standardDeviation(_ values: [Double]) -> Double {
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
  }
}
