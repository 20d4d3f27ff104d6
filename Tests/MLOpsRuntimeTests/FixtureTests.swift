import Foundation
import MLOpsRuntime
import Testing

/// Every committed export runs unchanged and agrees with onnxruntime: identical labels,
/// integers and strings, and float outputs within 1e-5.
@Suite("Exported models match onnxruntime")
struct FixtureTests {
  static let tolerance = 1e-5

  @Test("the fixture set is present")
  func fixturesExist() {
    #expect(Fixture.names.count >= 90)
  }

  @Test("each model's outputs equal onnxruntime's", arguments: Fixture.names)
  func matchesOnnxRuntime(name: String) throws {
    let fixture = try Fixture.load(name)
    let model = try Model(bytes: fixture.model)
    #expect(try Model.check(bytes: fixture.model) == Model.Interface(inputs: model.inputs, outputs: model.outputs))
    let outputs = try model.run(fixture.inputs)
    for (outputName, expected) in fixture.outputs {
      let actual = try #require(outputs[outputName], "output \(outputName) missing")
      switch expected {
      case .tensor(let want):
        let got = try #require(actual.tensor, "\(outputName) should be a tensor")
        #expect(got.shape == want.shape, "\(outputName) shape")
        try compare(got.data, want.data, output: outputName)
      case .maps(let keys, let rows):
        guard case .maps(let got) = actual else {
          Issue.record("\(outputName) should be maps")
          continue
        }
        #expect((0..<got.labels.count).map { got.labels.text(at: $0) } == keys)
        #expect(got.rowCount == rows.count)
        let flat = rows.flatMap { $0 }
        #expect(maxDifference(got.probabilities.map(Double.init), flat.map(Double.init)) <= Self.tolerance)
      }
    }
  }

  private func compare(_ got: TensorData, _ want: TensorData, output: String) throws {
    switch (got, want) {
    case (.float(let g), .float(let w)):
      let difference = maxDifference(g.map(Double.init), w.map(Double.init))
      #expect(difference <= Self.tolerance, "\(output): max |Δ| = \(difference)")
    case (.double(let g), .double(let w)):
      let difference = maxDifference(g, w)
      #expect(difference <= Self.tolerance, "\(output): max |Δ| = \(difference)")
    default:
      #expect(got == want, "\(output) differs")
    }
  }

  /// Largest absolute difference; NaN must meet NaN and infinities must be equal.
  private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    var worst = 0.0
    for (x, y) in zip(a, b) {
      if x.isNaN || y.isNaN {
        if x.isNaN != y.isNaN { return .infinity }
        continue
      }
      if x.isInfinite || y.isInfinite {
        if x != y { return .infinity }
        continue
      }
      worst = max(worst, abs(x - y))
    }
    return worst
  }
}
