import MLOpsStatistics
import Testing

/// Each control-chart rule triggered by a series crafted to break it, and a quiet series
/// breaking none. Baseline: ten points alternating 9/11 (centre 10, moving range 2, σ = 2/1.128).
@Suite("Control charts")
struct ControlChartTests {
  static let baseline = (0..<10).map { $0 % 2 == 0 ? 9.0 : 11.0 }
  static let sigma = 2 / 1.128

  func rules(_ tail: [Double], _ kind: ControlChart.Kind = .shewhart) -> [String] {
    ControlChart(values: Self.baseline + tail, kind: kind, baseline: 10).violations.map(\.rule)
  }

  @Test("centre and limits come from the baseline's mean and moving range")
  func limits() {
    let chart = ControlChart(values: Self.baseline + [30], kind: .shewhart, baseline: 10)
    #expect(chart.center == 10 && abs(chart.sigma - Self.sigma) < 1e-12)
    #expect(abs(chart.upperLimit - (10 + 3 * Self.sigma)) < 1e-12 && abs(chart.lowerLimit - (10 - 3 * Self.sigma)) < 1e-12)
  }

  @Test("a quiet series breaks no rule")
  func quiet() {
    #expect(rules([10, 9.5, 10.5, 9, 11, 10]).isEmpty)
    #expect(rules([10, 9.5, 10.5, 9, 11, 10], .ewma(lambda: 0.2, width: 3)).isEmpty)
    #expect(rules([10, 9.5, 10.5, 9, 11, 10], .cusum(k: 0.5, h: 5)).isEmpty)
  }

  @Test("WE1: one point beyond 3σ")
  func we1() { #expect(rules([10 + 3.2 * Self.sigma]) == ["WE1"]) }

  @Test("WE2: two of three beyond 2σ on one side")
  func we2() { #expect(rules([10 + 2.5 * Self.sigma, 10, 10 + 2.5 * Self.sigma]) == ["WE2"]) }

  @Test("WE3: four of five beyond 1σ on one side")
  func we3() {
    let out = 10 - 1.5 * Self.sigma
    #expect(rules([out, out, 10, out, out]) == ["WE3"])
  }

  @Test("WE4: eight in a row on one side")
  func we4() {
    // The baseline's last point (11) is above too, so the eighth in a row comes one point early.
    let chart = ControlChart(values: Self.baseline + Array(repeating: 10.3, count: 8), kind: .shewhart, baseline: 10)
    #expect(chart.violations.map(\.rule) == ["WE4", "WE4"] && chart.violations.map(\.index) == [16, 17])
  }

  @Test("EWMA catches a small sustained shift that no single point shows")
  func ewma() {
    let chart = ControlChart(
      values: Self.baseline + Array(repeating: 10 + 1.5 * Self.sigma, count: 12), kind: .ewma(lambda: 0.2, width: 3), baseline: 10)
    #expect(!chart.violations.isEmpty && chart.violations.allSatisfy { $0.rule == "EWMA" && $0.index >= 10 })
    #expect(chart.violations.allSatisfy { abs(chart.statistics[$0.index] - 10) < 3 * Self.sigma })
  }

  @Test("CUSUM accumulates a shift upwards and downwards")
  func cusum() {
    #expect(Set(rules(Array(repeating: 10 + Self.sigma, count: 12), .cusum(k: 0.5, h: 5))) == ["CUSUM_UPPER"])
    #expect(Set(rules(Array(repeating: 10 - Self.sigma, count: 12), .cusum(k: 0.5, h: 5))) == ["CUSUM_LOWER"])
  }
}

@Suite("Sorting")
struct SortingTests {
  @Test("the radix sort orders like sorted(), negatives, zeros, infinities and ties included")
  func radix() {
    var generator = SystemRandomNumberGenerator()
    var values = (0..<50_000).map { _ in Double.random(in: -1e6...1e6, using: &generator) }
    values += [0, -0.0, .infinity, -.infinity, 1e-300, -1e-300, 3, 3, 3] + Array(repeating: 7.5, count: 100)
    let sorted = Sorting.ascending(values)
    #expect(sorted.map(\.bitPattern) != values.map(\.bitPattern))
    #expect(zip(sorted, values.sorted()).allSatisfy { $0 == $1 } && sorted.count == values.count)
    #expect(Sorting.ascending([3, 1, 2]) == [1, 2, 3] && Sorting.ascending(sorted) == sorted)
  }
}
