import Foundation
import Testing

@testable import MLOpsRuntime

/// Everything that could stop a prediction is refused when the model is loaded, with a message
/// naming what is wrong.
@Suite("Loading refuses bad models")
struct LoadErrorTests {
  typealias G = GraphFactory

  /// Loads `bytes` expecting a failure of `kind` whose message contains every fragment.
  /// `Model.check` (the registry's check-only load) must fail the same way.
  func expectFailure(_ bytes: Data, _ kind: ModelError.Kind, mentions fragments: [String], limits: ModelLimits = .standard) {
    var loadMessage: String?
    do {
      _ = try Model(bytes: bytes, limits: limits)
      Issue.record("the model loaded; expected \(kind)")
    } catch let error as ModelError {
      loadMessage = error.message
      #expect(error.kind == kind, "\(error.message)")
      for fragment in fragments { #expect(error.message.contains(fragment), "'\(error.message)' should mention '\(fragment)'") }
    } catch {
      Issue.record("unexpected error \(error)")
    }
    do {
      _ = try Model.check(bytes: bytes, limits: limits)
      Issue.record("the check passed; expected \(kind)")
    } catch let error as ModelError {
      #expect(error.kind == kind && error.message == loadMessage, "check: \(error.message)")
    } catch {
      Issue.record("unexpected error from the check \(error)")
    }
  }

  @Test("bytes that are not protobuf are malformed")
  func garbage() {
    expectFailure(Data("definitely not a model".utf8), .malformed, mentions: ["not an ONNX model"])
  }

  @Test("a protobuf without a graph is malformed")
  func noGraph() {
    expectFailure(Data(), .malformed, mentions: ["no graph"])
  }

  @Test("a truncated export is malformed")
  func truncated() throws {
    let bytes = try Fixture.load("random_forest_classifier").model
    expectFailure(bytes.prefix(bytes.count / 2), .malformed, mentions: ["not an ONNX model"])
  }

  @Test("an unknown operator names the node, operator, domain and opset")
  func unknownOperator() {
    let bytes = G.model(nodes: [G.node("Conv", ["x"], ["y"], name: "conv1")])
    expectFailure(bytes, .unsupported, mentions: ["conv1", "Conv", "ai.onnx", "opset 17"])
  }

  @Test("an opset newer than the runtime knows is refused at load")
  func futureOpset() {
    let bytes = G.model(nodes: [G.node("Relu", ["x"], ["y"], name: "act")], opsets: ["": 99])
    expectFailure(bytes, .unsupported, mentions: ["act", "Relu", "opset 99", "7–21"])
  }

  @Test("an unknown domain is refused")
  func unknownDomain() {
    let bytes = G.model(nodes: [G.node("FusedGemm", ["x"], ["y"], domain: "com.microsoft")], opsets: ["": 17, "com.microsoft": 1])
    expectFailure(bytes, .unsupported, mentions: ["com.microsoft", "FusedGemm"])
  }

  @Test("a node from a domain the model does not import is an invalid graph")
  func missingImport() {
    let bytes = G.model(nodes: [G.node("Binarizer", ["x"], ["y"], domain: "ai.onnx.ml")], opsets: ["": 17])
    expectFailure(bytes, .invalidGraph, mentions: ["ai.onnx.ml", "does not import"])
  }

  @Test("reading an undefined value is an invalid graph")
  func danglingInput() {
    let bytes = G.model(nodes: [G.node("Add", ["x", "ghost"], ["y"], name: "plus")])
    expectFailure(bytes, .invalidGraph, mentions: ["plus", "ghost"])
  }

  @Test("a value produced twice is an invalid graph")
  func duplicateOutput() {
    let bytes = G.model(nodes: [G.node("Relu", ["x"], ["y"], name: "a"), G.node("Abs", ["x"], ["y"], name: "b")])
    expectFailure(bytes, .invalidGraph, mentions: ["'y'", "produced twice"])
  }

  @Test("a cycle is an invalid graph naming a node on it")
  func cycle() {
    let bytes = G.model(nodes: [
      G.node("Add", ["x", "b"], ["a"], name: "first"), G.node("Relu", ["a"], ["b"], name: "second"),
      G.node("Identity", ["b"], ["y"], name: "out"),
    ])
    expectFailure(bytes, .invalidGraph, mentions: ["cycle"])
  }

  @Test("a graph output nobody produces is an invalid graph")
  func missingOutput() {
    let bytes = G.model(nodes: [G.node("Relu", ["x"], ["z"])], outputs: ["y"])
    expectFailure(bytes, .invalidGraph, mentions: ["'y'", "not produced"])
  }

  @Test("tree attribute lists of different lengths name the attribute")
  func treeAttributeLengths() {
    let bytes = G.model(nodes: [
      G.node(
        "TreeEnsembleRegressor", ["x"], ["y"], name: "forest", domain: "ai.onnx.ml",
        attributes: [
          G.ints("nodes_treeids", [0, 0]), G.ints("nodes_nodeids", [0]), G.ints("nodes_featureids", [0, 0]),
          G.strings("nodes_modes", ["LEAF", "LEAF"]), G.floats("nodes_values", [0, 0]), G.ints("nodes_truenodeids", [0, 0]),
          G.ints("nodes_falsenodeids", [0, 0]), G.ints("target_treeids", []), G.ints("target_nodeids", []), G.ints("target_ids", []),
        ])
    ])
    expectFailure(bytes, .invalidGraph, mentions: ["forest", "TreeEnsembleRegressor", "nodes_nodeids"])
  }

  @Test("a tree child that does not exist is an invalid graph")
  func brokenChild() {
    expectFailure(G.stumps(trees: 2, brokenChild: true), .invalidGraph, mentions: ["forest", "nodes_truenodeids", "node 7"])
  }

  @Test("a tree that loops back on itself is refused")
  func treeCycle() {
    let bytes = G.model(nodes: [
      G.node(
        "TreeEnsembleRegressor", ["x"], ["y"], name: "forest", domain: "ai.onnx.ml",
        attributes: [
          G.ints("nodes_treeids", [0, 0, 0]), G.ints("nodes_nodeids", [0, 1, 2]), G.ints("nodes_featureids", [0, 0, 0]),
          G.strings("nodes_modes", ["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]), G.floats("nodes_values", [0, 0, 0]),
          G.ints("nodes_truenodeids", [1, 0, 0]), G.ints("nodes_falsenodeids", [2, 2, 0]),
          G.ints("target_treeids", [0]), G.ints("target_nodeids", [2]), G.ints("target_ids", [0]), G.floats("target_weights", [1]),
        ])
    ])
    expectFailure(bytes, .invalidGraph, mentions: ["forest", "not trees"])
  }

  @Test("more trees than the limit is refused before anything runs")
  func treeLimit() {
    var limits = ModelLimits.standard
    limits.maxTrees = 10
    expectFailure(G.stumps(trees: 11), .limitExceeded, mentions: ["11 trees", "10"], limits: limits)
  }

  @Test("an initializer larger than the tensor limit is refused")
  func tensorLimit() {
    var limits = ModelLimits.standard
    limits.maxTensorElements = 100
    let big = G.initializer("w", dims: [1000, 1000], floats: [])
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [big])
    expectFailure(bytes, .limitExceeded, mentions: ["'w'", "100"], limits: limits)
  }

  @Test("a model larger than the byte limit is refused")
  func byteLimit() throws {
    var limits = ModelLimits.standard
    limits.maxModelBytes = 1000
    expectFailure(try Fixture.load("random_forest_classifier").model, .limitExceeded, mentions: ["1000"], limits: limits)
  }

  @Test("an initializer whose data does not match its dimensions is malformed")
  func initializerCount() {
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [G.initializer("w", dims: [3], floats: [1, 2])])
    expectFailure(bytes, .malformed, mentions: ["'w'", "2 values", "3"])
  }

  @Test("an input of an unsupported element type is named")
  func unsupportedInputType() {
    let bytes = G.model(nodes: [G.node("Relu", ["x"], ["y"])], inputs: [G.tensorInfo("x", elementType: 10, [nil, 3])])
    expectFailure(bytes, .unsupported, mentions: ["'x'", "float16"])
  }

  @Test("a node that fails on constant inputs fails the load")
  func foldingFailure() {
    let shape = Onnx_TensorProto.with {
      $0.name = "s"
      $0.dims = [1]
      $0.dataType = 7
      $0.int64Data = [7]
    }
    let bytes = G.model(
      nodes: [G.node("Reshape", ["w", "s"], ["r"], name: "fold"), G.node("Add", ["x", "r"], ["y"])],
      initializers: [G.initializer("w", dims: [3], floats: [1, 2, 3]), shape])
    expectFailure(bytes, .invalidGraph, mentions: ["fold", "Reshape", "constant inputs"])
  }

  @Test("a bad attribute value names the attribute")
  func badAttribute() {
    let bytes = G.model(nodes: [
      G.node(
        "Normalizer", ["x"], ["y"], name: "norm", domain: "ai.onnx.ml",
        attributes: [
          Onnx_AttributeProto.with {
            $0.name = "norm"
            $0.type = .string
            $0.s = Data("L7".utf8)
          }
        ])
    ])
    expectFailure(bytes, .invalidGraph, mentions: ["norm", "Normalizer", "'norm'"])
  }

  @Test("data in external files is refused")
  func externalData() {
    var w = G.initializer("w", dims: [3], floats: [])
    w.dataLocation = .external
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [w])
    expectFailure(bytes, .unsupported, mentions: ["'w'", "external"])
  }
}
