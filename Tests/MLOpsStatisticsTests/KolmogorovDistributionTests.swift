import Foundation
import MLOpsStatistics
import Testing

/// The KS p-value above 10,000 values against scipy (`scripts/monitor/make-ks-fixtures.py`):
/// `kstwo.sf` on a grid reaching each of scipy's methods, and `ks_2samp` on seeded samples.
@Suite("Kolmogorov distribution agrees with scipy")
struct KolmogorovDistributionTests {
  struct Point: Decodable, CustomTestStringConvertible {
    var n: Int
    var d: Double
    var sf: Double
    var testDescription: String { "n=\(n) d=\(d)" }
  }

  struct Sample: Decodable, CustomTestStringConvertible {
    var name: String
    var reference: [Double]
    var current: [Double]
    var statistic: Double
    var p_value: Double
    var testDescription: String { name }
  }

  struct Fixtures: Decodable {
    var kstwo: [Point]
    var samples: [Sample]
  }

  static let fixtures: Fixtures = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ks_asymptotic.json")
    return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
  }()

  @Test("P(Dn ≥ d) matches kstwo.sf to 1e-6 absolute and 1e-6 relative", arguments: fixtures.kstwo)
  func survival(_ point: Point) {
    let p = KolmogorovDistribution.survival(point.d, n: point.n)
    #expect(abs(p - point.sf) <= 1e-6 && abs(p - point.sf) <= max(1e-6 * point.sf, 1e-12), "\(p) vs scipy \(point.sf)")
  }

  @Test("ks_2samp above 10,000 values: the statistic to 1e-12 and the p-value to 1e-6", arguments: fixtures.samples)
  func twoSample(_ sample: Sample) throws {
    let result = KolmogorovSmirnov.test(sample.reference, sample.current)
    #expect(abs(result.statistic - sample.statistic) <= 1e-12)
    let p = try #require(result.pValue)
    #expect(abs(p - sample.p_value) <= 1e-6, "\(p) vs scipy \(sample.p_value)")
  }
}
