import Foundation

/// PSI as the monitor issue specifies it (and Evidently's default): bin edges at the
/// reference's quantiles 0, 1/b, …, 1 (numpy's linear interpolation), the outer edges open to
/// ±∞, bin i = [eᵢ, eᵢ₊₁); each bin's share floored at 1e-4; PSI = Σ (cur − ref)·ln(cur / ref).
public enum PopulationStabilityIndex {
  public static let floor = 1e-4

  /// The inner edges (b − 1 of them) a reference defines; reusable for any current sample.
  public static func edges(reference: [Double], bins: Int = 10, presorted: Bool = false) -> [Double] {
    let sorted = Sorting.ascending(reference, presorted: presorted)
    let q = (1..<bins).map { Double($0) / Double(bins) }
    return Quantile.linear(sorted: sorted, at: q)
  }

  /// Each bin's share of `values`, floored. Sorted values (a stored reference, a cached
  /// window) are counted by one search per edge instead of one per value.
  /// - Parameter presorted: `values` are known to ascend; the order check is skipped.
  public static func shares(_ values: [Double], edges: [Double], presorted: Bool = false) -> [Double] {
    var counts = [Int](repeating: 0, count: edges.count + 1)
    if presorted || Sorting.isAscending(values) {
      var previous = 0
      for (index, edge) in edges.enumerated() {
        let position = firstIndex(notBelow: edge, in: values)
        counts[index] = position - previous
        previous = position
      }
      counts[edges.count] = values.count - previous
    } else {
      for value in values { counts[bin(value, edges)] += 1 }
    }
    return counts.map { max(Double($0) / Double(values.count), floor) }
  }

  /// In ascending `values`, the position of the first value ≥ `edge`: those before it fall in
  /// the bins below the edge, as ``bin(_:_:)`` places them.
  static func firstIndex(notBelow edge: Double, in values: [Double]) -> Int {
    var low = 0
    var high = values.count
    while low < high {
      let mid = (low + high) / 2
      if values[mid] < edge { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Index of the first edge greater than `value` (numpy `searchsorted(side="right")`).
  static func bin(_ value: Double, _ edges: [Double]) -> Int {
    var low = 0
    var high = edges.count
    while low < high {
      let mid = (low + high) / 2
      if edges[mid] <= value { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// - Parameter presorted: both samples are already ascending; the order checks are skipped.
  public static func index(reference: [Double], current: [Double], bins: Int = 10, presorted: Bool = false) -> Double {
    let edges = edges(reference: reference, bins: bins, presorted: presorted)
    return index(
      referenceShares: shares(reference, edges: edges, presorted: presorted),
      currentShares: shares(current, edges: edges, presorted: presorted))
  }

  /// PSI from floored shares, also the categorical form (one share per category).
  public static func index(referenceShares: [Double], currentShares: [Double]) -> Double {
    zip(referenceShares, currentShares).reduce(0) { sum, pair in
      sum + (pair.1 - pair.0) * log(pair.1 / pair.0)
    }
  }
}
