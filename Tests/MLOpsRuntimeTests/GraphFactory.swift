import Foundation
import SwiftProtobuf

@testable import MLOpsRuntime

/// Builds small ONNX models in code, so each load error can be produced on purpose.
enum GraphFactory {
  static func node(
    _ op: String, _ inputs: [String], _ outputs: [String], name: String? = nil, domain: String = "",
    attributes: [Onnx_AttributeProto] = []
  ) -> Onnx_NodeProto {
    var n = Onnx_NodeProto()
    n.opType = op
    n.input = inputs
    n.output = outputs
    n.name = name ?? op.lowercased()
    n.domain = domain
    n.attribute = attributes
    return n
  }

  static func floatInput(_ name: String, _ dims: [Int64?]) -> Onnx_ValueInfoProto {
    tensorInfo(name, elementType: 1, dims)
  }

  static func tensorInfo(_ name: String, elementType: Int32, _ dims: [Int64?]) -> Onnx_ValueInfoProto {
    var info = Onnx_ValueInfoProto()
    info.name = name
    var tensor = Onnx_TypeProto.Tensor()
    tensor.elemType = elementType
    tensor.shape.dim = dims.map { d in
      var dim = Onnx_TensorShapeProto.Dimension()
      if let d { dim.dimValue = d } else { dim.dimParam = "N" }
      return dim
    }
    info.type.tensorType = tensor
    return info
  }

  static func output(_ name: String) -> Onnx_ValueInfoProto {
    var info = Onnx_ValueInfoProto()
    info.name = name
    return info
  }

  static func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .ints
    a.ints = values
    return a
  }

  static func floats(_ name: String, _ values: [Float]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .floats
    a.floats = values
    return a
  }

  static func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .strings
    a.strings = values.map { Data($0.utf8) }
    return a
  }

  static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
    var a = Onnx_AttributeProto()
    a.name = name
    a.type = .int
    a.i = value
    return a
  }

  static func initializer(_ name: String, dims: [Int64], floats: [Float]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims
    t.dataType = 1
    t.floatData = floats
    return t
  }

  /// A model around `nodes`, importing ai.onnx 17 and ai.onnx.ml 3 unless told otherwise.
  static func model(
    nodes: [Onnx_NodeProto], inputs: [Onnx_ValueInfoProto] = [floatInput("x", [nil, 3])], outputs: [String] = ["y"],
    initializers: [Onnx_TensorProto] = [], opsets: [String: Int64] = ["": 17, "ai.onnx.ml": 3]
  ) -> Data {
    var m = Onnx_ModelProto()
    m.irVersion = 8
    m.opsetImport = opsets.map { domain, version in
      var o = Onnx_OperatorSetIdProto()
      o.domain = domain
      o.version = version
      return o
    }
    m.graph.node = nodes
    m.graph.input = inputs
    m.graph.output = outputs.map(output)
    m.graph.initializer = initializers
    return try! m.serializedData()
  }

  /// A TreeEnsembleRegressor with `trees` one-split trees over feature 0.
  static func stumps(trees: Int, brokenChild: Bool = false) -> Data {
    var treeIds: [Int64] = []
    var nodeIds: [Int64] = []
    var modes: [String] = []
    var trues: [Int64] = []
    var falses: [Int64] = []
    var targetTrees: [Int64] = []
    var targetNodes: [Int64] = []
    for t in 0..<Int64(trees) {
      treeIds += [t, t, t]
      nodeIds += [0, 1, 2]
      modes += ["BRANCH_LEQ", "LEAF", "LEAF"]
      trues += [brokenChild ? 7 : 1, 0, 0]
      falses += [2, 0, 0]
      targetTrees += [t, t]
      targetNodes += [1, 2]
    }
    let count = treeIds.count
    let attributes = [
      ints("nodes_treeids", treeIds), ints("nodes_nodeids", nodeIds), ints("nodes_featureids", Array(repeating: 0, count: count)),
      strings("nodes_modes", modes), floats("nodes_values", Array(repeating: 0.5, count: count)),
      ints("nodes_truenodeids", trues), ints("nodes_falsenodeids", falses),
      ints("target_treeids", targetTrees), ints("target_nodeids", targetNodes),
      ints("target_ids", Array(repeating: 0, count: targetTrees.count)),
      floats("target_weights", (0..<targetTrees.count).map { Float($0 % 2) }), int("n_targets", 1),
    ]
    return model(nodes: [node("TreeEnsembleRegressor", ["x"], ["y"], name: "forest", domain: "ai.onnx.ml", attributes: attributes)])
  }
}
