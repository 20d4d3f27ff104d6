import Foundation
import MLOpsStatistics
import Testing

/// Every statistic against the values scipy/numpy computed on the same seeded samples
/// (`scripts/monitor/make-stat-fixtures.py` writes Fixtures/statistics.json).
@Suite("Statistics agree with scipy")
struct ScipyAgreementTests {
  struct Numeric: Decodable, CustomTestStringConvertible {
    var name: String
    var reference: [Double]
    var current: [Double]
    var ks_statistic: Double
    var ks_p_value: Double
    var psi: Double
    var psi_5_bins: Double
    var wasserstein: Double
    var wasserstein_normed: Double
    var testDescription: String { name }
  }

  struct Categorical: Decodable, CustomTestStringConvertible {
    var name: String
    var reference_counts: [Int]
    var current_counts: [Int]
    var chi2_statistic: Double
    var chi2_p_value: Double
    var chi2_dof: Int
    var jensenshannon: Double
    var testDescription: String { name }
  }

  struct Proportions: Decodable {
    var x1, n1, x2, n2: Int
    var z, p_value: Double
  }
  struct FDR: Decodable { var p_values, adjusted: [Double] }
  struct Fixtures: Decodable {
    var numeric: [Numeric]
    var categorical: [Categorical]
    var proportions: [Proportions]
    var fdr: [FDR]
  }

  static let fixtures: Fixtures = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statistics.json")
    return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
  }()

  /// Relative error ≤ 1e-9 (absolute near zero).
  static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
  }

  @Test("PSI (10 and 5 quantile bins), the KS statistic and exact p-value, and Wasserstein match", arguments: fixtures.numeric)
  func numeric(_ f: Numeric) {
    #expect(Self.close(PopulationStabilityIndex.index(reference: f.reference, current: f.current), f.psi))
    #expect(Self.close(PopulationStabilityIndex.index(reference: f.reference, current: f.current, bins: 5), f.psi_5_bins))
    // Sorted samples (a cached window, a stored reference) are binned by searches, not per value.
    let (reference, current) = (f.reference.sorted(), f.current.sorted())
    #expect(Self.close(PopulationStabilityIndex.index(reference: reference, current: current), f.psi))
    #expect(Self.close(PopulationStabilityIndex.index(reference: reference, current: current, bins: 5), f.psi_5_bins))
    let ks = KolmogorovSmirnov.test(f.reference, f.current)
    #expect(Self.close(ks.statistic, f.ks_statistic))
    #expect(
      ks.pValue.map { abs($0 - f.ks_p_value) <= 1e-9 * f.ks_p_value } == true, "p \(String(describing: ks.pValue)) vs scipy \(f.ks_p_value)"
    )
    #expect(Self.close(Distance.wasserstein(f.reference, f.current), f.wasserstein))
    #expect(Self.close(Distance.normalizedWasserstein(reference: f.reference, current: f.current), f.wasserstein_normed))
  }

  @Test("chi-squared (with Yates' correction at one degree of freedom) and Jensen–Shannon match", arguments: fixtures.categorical)
  func categorical(_ f: Categorical) {
    let result = ChiSquare.contingency(reference: f.reference_counts, current: f.current_counts)
    #expect(result.degreesOfFreedom == f.chi2_dof)
    #expect(Self.close(result.statistic, f.chi2_statistic))
    #expect(Self.close(result.pValue, f.chi2_p_value))
    #expect(Self.close(Distance.jensenShannon(f.reference_counts.map(Double.init), f.current_counts.map(Double.init)), f.jensenshannon))
  }

  @Test("the two-proportion z-test and Benjamini–Hochberg match")
  func tests() {
    for f in Self.fixtures.proportions {
      let (z, p) = SampleTests.twoProportions(successes1: f.x1, trials1: f.n1, successes2: f.x2, trials2: f.n2)
      #expect(Self.close(z, f.z))
      #expect(Self.close(p, f.p_value))
    }
    for f in Self.fixtures.fdr {
      let adjusted = SampleTests.benjaminiHochberg(f.p_values)
      #expect(zip(adjusted, f.adjusted).allSatisfy { Self.close($0, $1) })
    }
  }

  @Test("identical samples drift by nothing")
  func identical() {
    let sample = (0..<500).map { sin(Double($0)) }
    #expect(PopulationStabilityIndex.index(reference: sample, current: sample) == 0)
    #expect(KolmogorovSmirnov.test(sample, sample).statistic == 0)
    #expect(Distance.wasserstein(sample, sample) == 0)
    #expect(Distance.jensenShannon([1, 2, 3], [2, 4, 6]) == 0)
  }
}

@Suite("Kolmogorov–Smirnov bounds")
struct KolmogorovSmirnovBoundsTests {
  @Test("samples of any size get a p-value in [0, 1]")
  func sizes() {
    let large = (0..<10_000).map { Double($0 % 997) / 997 }
    let shifted = large.map { $0 + 0.01 }
    let exact = KolmogorovSmirnov.test(large, shifted)
    #expect(exact.pValue.map { (0...1).contains($0) } == true)
    #expect(KolmogorovSmirnov.test(large + [0.5], shifted).pValue.map { (0...1).contains($0) } == true)
    let same = KolmogorovSmirnov.test([1, 2, 3], [1, 2, 3])
    #expect(same.statistic == 0 && same.pValue == 1)
  }
}
