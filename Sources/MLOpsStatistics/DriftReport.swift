/// A per-column drift report between a reference and a current dataset, choosing each
/// column's test the way Evidently's DataDriftPreset does unless one test is forced, and
/// calling the dataset drifted when at least `driftShare` of its columns drifted.
public struct DriftReport: Sendable, Equatable {
  public enum Column: Sendable, Equatable {
    case numeric([Double])
    case categorical([String])
    /// A categorical column summarised as counts per category (a stored reference profile).
    case counts([String: Int])

    /// Counts per category, whatever the form.
    var categoryCounts: [String: Int] {
      switch self {
      case .numeric(let values): values.reduce(into: [:]) { $0[String($1), default: 0] += 1 }
      case .categorical(let labels): labels.reduce(into: [:]) { $0[$1, default: 0] += 1 }
      case .counts(let counts): counts
      }
    }
  }

  public enum Test: String, Sendable, CaseIterable {
    case ks, psi, chisquare, ztest, jensenshannon, wasserstein

    /// p-value tests drift below the threshold; distances drift at or above it.
    var isPValue: Bool { self == .ks || self == .chisquare || self == .ztest }
    /// Evidently's default threshold for the test.
    var defaultThreshold: Double { isPValue ? 0.05 : 0.1 }
  }

  public struct ColumnDrift: Sendable, Equatable {
    public var column: String
    public var test: Test
    public var statistic: Double
    public var pValue: Double?
    public var threshold: Double
    public var drifted: Bool
  }

  /// Why a column cannot be tested as asked.
  public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: String
    public var reason: String
    public var description: String { "column '\(column)': \(reason)" }

    public init(column: String, reason: String) {
      self.column = column
      self.reason = reason
    }
  }

  public var columns: [ColumnDrift]
  public var driftShare: Double
  public var datasetDrift: Bool

  /// - Parameters:
  ///   - test: one test for every column; nil picks Evidently's default by type and size.
  ///   - threshold: overrides the test's default threshold.
  public init(
    reference: [(name: String, column: Column)], current: [String: Column], test: Test? = nil,
    threshold: Double? = nil, driftShare: Double = 0.5
  ) throws {
    var results: [ColumnDrift] = []
    for (name, ref) in reference {
      guard let cur = current[name] else { throw Refusal(column: name, reason: "missing from the current data") }
      results.append(try Self.drift(name, ref, cur, test: test, threshold: threshold))
    }
    self.columns = results
    self.driftShare = driftShare
    let drifted = results.filter(\.drifted).count
    self.datasetDrift = !results.isEmpty && Double(drifted) >= driftShare * Double(results.count)
  }

  /// One column's drift, for callers that choose a test and threshold per column (the
  /// monitor); nil for either picks Evidently's default.
  /// - Parameter referenceScale: the reference's population standard deviation when the
  ///   caller keeps it (a stored profile), so Wasserstein does not recompute it.
  /// - Parameter presorted: numeric values on both sides are already ascending (a stored
  ///   profile against a window sorted for drift), so no test re-checks their order.
  public static func drift(
    _ name: String, _ reference: Column, _ current: Column, test forced: Test?, threshold: Double?,
    referenceScale: Double? = nil, presorted: Bool = false
  ) throws -> ColumnDrift {
    let (ref, cur) = Self.aligned(reference, current)
    let test = forced ?? Self.defaultTest(ref, cur)
    let limit = threshold ?? test.defaultThreshold
    let (statistic, p) = try Self.run(test, ref, cur, column: name, referenceScale: referenceScale, presorted: presorted)
    let drifted = p.map { $0 < limit } ?? (statistic >= limit)
    return ColumnDrift(column: name, test: test, statistic: statistic, pValue: p, threshold: limit, drifted: drifted)
  }

  /// A numeric column with few distinct values is tested as categorical (as Evidently does);
  /// a column numeric in one dataset and not the other is categorical in both.
  static func aligned(_ a: Column, _ b: Column) -> (Column, Column) {
    if case .numeric(let x) = a, case .numeric(let y) = b, Self.moreThanFiveDistinct(x) { return (.numeric(x), .numeric(y)) }
    return (.counts(a.categoryCounts), .counts(b.categoryCounts))
  }

  /// Stops at the sixth distinct value: a million-value reference needs no million-entry set.
  static func moreThanFiveDistinct(_ values: [Double]) -> Bool {
    var seen: Set<Double> = []
    for value in values {
      seen.insert(value)
      if seen.count > 5 { return true }
    }
    return false
  }

  /// Chosen by the reference's size; a z-test only when both datasets together hold at most
  /// two values.
  static func defaultTest(_ reference: Column, _ current: Column) -> Test {
    switch reference {
    case .numeric(let v): return v.count <= 1000 ? .ks : .wasserstein
    default:
      let (r, c) = (reference.categoryCounts, current.categoryCounts)
      let total = r.values.reduce(0, +)
      return total <= 1000 ? (Set(r.keys).union(c.keys).count <= 2 ? .ztest : .chisquare) : .jensenshannon
    }
  }

  static func run(
    _ test: Test, _ reference: Column, _ current: Column, column: String, referenceScale: Double? = nil, presorted: Bool = false
  ) throws -> (Double, Double?) {
    switch (test, reference, current) {
    case (.ks, .numeric(let r), .numeric(let c)):
      let result = KolmogorovSmirnov.test(r, c, presorted: presorted)
      return (result.statistic, result.pValue)
    case (.wasserstein, .numeric(let r), .numeric(let c)):
      return (Distance.normalizedWasserstein(reference: r, current: c, scale: referenceScale, presorted: presorted), nil)
    case (.psi, .numeric(let r), .numeric(let c)):
      return (PopulationStabilityIndex.index(reference: r, current: c, presorted: presorted), nil)
    case (_, .counts(let r), .counts(let c)):
      return try categorical(test, r, c, column: column)
    default:
      throw Refusal(column: column, reason: "\(test.rawValue) does not apply to a categorical column")
    }
  }

  static func categorical(_ test: Test, _ r: [String: Int], _ c: [String: Int], column: String) throws -> (Double, Double?) {
    let categories = Set(r.keys).union(c.keys).sorted()
    let refCounts = categories.map { r[$0] ?? 0 }
    let curCounts = categories.map { c[$0] ?? 0 }
    let (refTotal, curTotal) = (refCounts.reduce(0, +), curCounts.reduce(0, +))
    switch test {
    case .chisquare:
      let result = ChiSquare.contingency(reference: refCounts, current: curCounts)
      return (result.statistic, result.pValue)
    case .ztest:
      guard categories.count <= 2 else { throw Refusal(column: column, reason: "ztest needs a binary column") }
      guard categories.count == 2 else { return (0, 1) }  // one value everywhere: nothing moved
      let (z, p) = SampleTests.twoProportions(successes1: refCounts[0], trials1: refTotal, successes2: curCounts[0], trials2: curTotal)
      return (z, p)
    case .jensenshannon:
      return (Distance.jensenShannon(refCounts.map(Double.init), curCounts.map(Double.init)), nil)
    case .psi:
      let floor = PopulationStabilityIndex.floor
      return (
        PopulationStabilityIndex.index(
          referenceShares: refCounts.map { max(Double($0) / Double(refTotal), floor) },
          currentShares: curCounts.map { max(Double($0) / Double(curTotal), floor) }), nil
      )
    default:
      throw Refusal(column: column, reason: "\(test.rawValue) needs a numeric column")
    }
  }
}
