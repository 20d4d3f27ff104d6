import Foundation
import Testing

@testable import MLOpsRuntime

/// A loaded model refuses bad inputs with `invalidInput` naming the input, and computes nothing.
@Suite("Predicting refuses bad inputs")
struct PredictErrorTests {
  let model: Model

  init() throws {
    model = try Model(bytes: try Fixture.load("random_forest_classifier").model)
  }

  func expectInputError(_ feeds: [String: Tensor], mentions fragments: [String]) {
    do {
      _ = try model.run(feeds)
      Issue.record("the call succeeded")
    } catch let error as ModelError {
      #expect(error.kind == .invalidInput || error.kind == .limitExceeded, "\(error.message)")
      for fragment in fragments { #expect(error.message.contains(fragment), "'\(error.message)' should mention '\(fragment)'") }
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  var inputName: String { model.inputs[0].name }

  @Test("an unknown input name is named, with the real ones")
  func unknownName() {
    expectInputError(["features": Tensor(shape: [1, 8], floats: .init(repeating: 0, count: 8))], mentions: ["'features'", inputName])
  }

  @Test("a missing input is named")
  func missing() {
    expectInputError([:], mentions: ["'\(inputName)'", "missing"])
  }

  @Test("a wrong element type names the input and both types")
  func wrongType() {
    expectInputError(
      [inputName: Tensor(shape: [1, 8], doubles: .init(repeating: 0, count: 8))], mentions: ["'\(inputName)'", "float", "double"])
  }

  @Test("a wrong rank names the input and the shape")
  func wrongRank() {
    expectInputError([inputName: Tensor(shape: [8], floats: .init(repeating: 0, count: 8))], mentions: ["'\(inputName)'", "rank 2"])
  }

  @Test("a wrong fixed dimension names the input and the dimension")
  func wrongDimension() {
    expectInputError(
      [inputName: Tensor(shape: [1, 5], floats: .init(repeating: 0, count: 5))], mentions: ["'\(inputName)'", "dimension 1", "8"])
  }

  @Test("data that does not fill the shape is refused")
  func shortData() {
    expectInputError(
      [inputName: Tensor(shape: [2, 8], floats: .init(repeating: 0, count: 15))], mentions: ["'\(inputName)'", "15 values"])
  }

  @Test("a negative dimension is refused")
  func negativeDimension() {
    expectInputError([inputName: Tensor(shape: [-1, 8], floats: [])], mentions: ["'\(inputName)'", "negative"])
  }

  @Test("a batch over the tensor limit is refused")
  func tooLarge() throws {
    var limits = ModelLimits.standard
    limits.maxTensorElements = 80
    let small = try Model(bytes: try Fixture.load("random_forest_classifier").model, limits: limits)
    #expect(throws: ModelError.self) { try small.run([inputName: Tensor(shape: [11, 8], floats: .init(repeating: 0, count: 88))]) }
  }

  @Test("a row with fewer columns than the trees use is refused")
  func tooFewFeatures() throws {
    let bytes = GraphFactory.stumps(trees: 2)
    let stumps = try Model(bytes: bytes)
    #expect(throws: ModelError.self) { try stumps.run(["x": Tensor(shape: [1, 0], floats: [])]) }
  }

  @Test("an empty batch returns empty outputs")
  func emptyBatch() throws {
    let outputs = try model.run([inputName: Tensor(shape: [0, 8], floats: [])])
    #expect(outputs.values.compactMap(\.tensor).allSatisfy { $0.shape.first == 0 })
  }
}

extension PredictErrorTests {
  @Test("a forest of single-leaf trees runs on rows with no columns")
  func leafOnlyForest() throws {
    typealias G = GraphFactory
    let bytes = G.model(
      nodes: [
        G.node(
          "TreeEnsembleRegressor", ["x"], ["y"], name: "forest", domain: "ai.onnx.ml",
          attributes: [
            G.ints("nodes_treeids", [0]), G.ints("nodes_nodeids", [0]), G.ints("nodes_featureids", [0]),
            G.strings("nodes_modes", ["LEAF"]), G.floats("nodes_values", [0]), G.ints("nodes_truenodeids", [0]),
            G.ints("nodes_falsenodeids", [0]), G.ints("target_treeids", [0]), G.ints("target_nodeids", [0]),
            G.ints("target_ids", [0]), G.floats("target_weights", [2.5]),
          ])
      ],
      inputs: [G.floatInput("x", [nil, nil])])
    let model = try Model(bytes: bytes)
    let outputs = try model.run(["x": Tensor(shape: [3, 0], floats: [])])
    #expect(outputs["y"]?.tensor == Tensor(shape: [3, 1], floats: [2.5, 2.5, 2.5]))
  }
}
