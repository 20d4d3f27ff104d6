import Foundation
import Testing

@testable import MLOpsRuntime

/// Initializers stored as raw little-endian bytes (what exporters such as onnx's
/// numpy_helper write) load with exactly the values those bytes hold.
@Suite("Raw initializers")
struct RawInitializerTests {
  typealias G = GraphFactory

  /// A tensor of `dataType` whose raw_data is `bytes`.
  func raw(_ name: String, dims: [Int64], dataType: Int32, bytes: [UInt8]) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = dims
    t.dataType = dataType
    t.rawData = Data(bytes)
    return t
  }

  func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
  }

  @Test("float weights in raw_data are added by value")
  func floats() throws {
    let weights: [Float] = [1.5, -2, 3e30]
    let w = raw("w", dims: [3], dataType: 1, bytes: littleEndian(weights.map(\.bitPattern)))
    let model = try Model(bytes: G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [w]))
    let y = try model.run(["x": Tensor(shape: [1, 3], floats: [1, 1, 1])])["y"]
    #expect(y == .tensor(Tensor(shape: [1, 3], floats: [2.5, -1, 3e30])))
  }

  @Test("int64 and double raw_data keep their values, negatives included")
  func integersAndDoubles() throws {
    let shape = raw("s", dims: [2], dataType: 7, bytes: littleEndian([Int64(-1), 3]))
    let decodedShape = try shape.decodedTensor(limits: .standard)
    #expect(decodedShape == Tensor(shape: [2], int64s: [-1, 3]))
    let doubles = raw("d", dims: [2], dataType: 11, bytes: littleEndian([(0.25).bitPattern, (-1e300).bitPattern]))
    #expect(try doubles.decodedTensor(limits: .standard) == Tensor(shape: [2], doubles: [0.25, -1e300]))
  }

  @Test("raw_data of the wrong length is malformed, naming the tensor, whether loaded or only checked")
  func wrongLength() {
    let w = raw("w", dims: [3], dataType: 1, bytes: littleEndian([Float(1).bitPattern, Float(2).bitPattern]))
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [w])
    for (what, load) in [("load", { _ = try Model(bytes: bytes) }), ("check", { _ = try Model.check(bytes: bytes) })]
      as [(String, () throws -> Void)]
    {
      do {
        try load()
        Issue.record("the \(what) passed")
      } catch let error as ModelError {
        #expect(error.kind == .malformed, "\(what)")
        #expect(
          error.message.contains("'w'") && error.message.contains("8 raw bytes") && error.message.contains("12"),
          "\(what): \(error.message)")
      } catch {
        Issue.record("unexpected error \(error)")
      }
    }
  }

  @Test("the check-only load gives the loaded model's inputs and outputs")
  func checkAgrees() throws {
    let w = raw("w", dims: [3], dataType: 1, bytes: littleEndian([Float(1), 2, 3].map(\.bitPattern)))
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], initializers: [w])
    let model = try Model(bytes: bytes)
    #expect(try Model.check(bytes: bytes) == Model.Interface(inputs: model.inputs, outputs: model.outputs))
  }

  @Test("a raw initializer read by a node folded at load is decoded for it: a bad fold fails the check too")
  func foldedRaw() throws {
    let w = raw("w", dims: [3], dataType: 1, bytes: littleEndian([Float(1), 2, 3].map(\.bitPattern)))
    func model(shape: Int64) -> Data {
      let s = raw("s", dims: [2], dataType: 7, bytes: littleEndian([Int64(1), shape]))
      return G.model(
        nodes: [G.node("Reshape", ["w", "s"], ["r"], name: "fold"), G.node("Add", ["x", "r"], ["y"])], initializers: [w, s])
    }
    let good = try Model(bytes: model(shape: 3))
    #expect(try good.run(["x": Tensor(shape: [1, 3], floats: [1, 1, 1])])["y"] == .tensor(Tensor(shape: [1, 3], floats: [2, 3, 4])))
    #expect(try Model.check(bytes: model(shape: 3)) == Model.Interface(inputs: good.inputs, outputs: good.outputs))
    let error = #expect(throws: ModelError.self) { try Model.check(bytes: model(shape: 7)) }
    #expect(error?.kind == .invalidGraph && error?.message.contains("fold") == true, "\(String(describing: error))")
  }

  /// A model adding `x` to a large raw weight vector `w` (and a small raw `b` before it, so
  /// `w` is not the first initializer), with `w`'s raw bytes `extra` bytes off their size.
  func largeModel(count: Int, extra: Int = 0) -> (bytes: Data, weights: [Float]) {
    let weights = (0..<count).map { Float($0) / 4 - 100 }
    var bytes = littleEndian(weights.map(\.bitPattern))
    if extra < 0 { bytes.removeLast(-extra) } else { bytes += [UInt8](repeating: 0, count: extra) }
    let w = raw("w", dims: [Int64(count)], dataType: 1, bytes: bytes)
    let b = raw("b", dims: [1], dataType: 1, bytes: littleEndian([Float(0.5).bitPattern]))
    let nodes = [G.node("Add", ["x", "w"], ["s"]), G.node("Add", ["s", "b"], ["y"])]
    return (G.model(nodes: nodes, inputs: [G.floatInput("x", [nil, Int64(count)])], initializers: [b, w]), weights)
  }

  @Test("a large raw initializer is decoded as a slice of the model's bytes, not a copy, and loads by value")
  func largeRawIsNotCopied() throws {
    let count = RawDataElision.minimumBytes / 4 + 10
    let (bytes, weights) = largeModel(count: count)
    let elision = try #require(RawDataElision(model: bytes))
    #expect(elision.cuts.keys.sorted() == [1] && elision.cuts[1]?.count == count * 4)
    #expect(elision.stripped.count < bytes.count - count * 4)

    let summary = try ModelSummary(bytes: bytes)
    let kept = summary.proto.graph.initializer[1].rawData
    let shared = bytes.withUnsafeBytes { whole in
      kept.withUnsafeBytes { part in
        part.baseAddress! >= whole.baseAddress! && part.baseAddress! + part.count <= whole.baseAddress! + whole.count
      }
    }
    #expect(shared, "the weights were copied out of the model's bytes")
    #expect(summary.proto.graph.initializer[0].rawData.count == 4)

    let model = try Model(bytes: bytes)
    let y = try model.run(["x": Tensor(shape: [1, count], floats: [Float](repeating: 1, count: count))])["y"]
    #expect(y == .tensor(Tensor(shape: [1, count], floats: weights.map { $0 + 1.5 })))
    #expect(try Model.check(bytes: bytes) == Model.Interface(inputs: model.inputs, outputs: model.outputs))
  }

  @Test("a large model whose weights are typed values, not raw bytes, is decoded as it is")
  func largeTypedIsDecodedWhole() throws {
    let count = RawDataElision.minimumBytes / 4 + 10
    var w = Onnx_TensorProto()
    w.name = "w"
    w.dims = [Int64(count)]
    w.dataType = 1
    w.floatData = (0..<count).map { Float($0) }
    let bytes = G.model(nodes: [G.node("Add", ["x", "w"], ["y"])], inputs: [G.floatInput("x", [nil, Int64(count)])], initializers: [w])
    #expect(bytes.count > RawDataElision.minimumBytes)
    #expect(RawDataElision(model: bytes) == nil)
    let y = try Model(bytes: bytes).run(["x": Tensor(shape: [1, count], floats: [Float](repeating: 1, count: count))])["y"]
    #expect(y == .tensor(Tensor(shape: [1, count], floats: (0..<count).map { Float($0) + 1 })))
  }

  @Test("a large raw initializer of the wrong length fails the load and the check with the tensor's name")
  func largeRawWrongLength() {
    let count = RawDataElision.minimumBytes / 4 + 10
    for extra in [-4, 4] {
      let (bytes, _) = largeModel(count: count, extra: extra)
      for load in [{ _ = try Model(bytes: bytes) }, { _ = try Model.check(bytes: bytes) }] as [() throws -> Void] {
        let error = #expect(throws: ModelError.self) { try load() }
        #expect(error?.kind == .malformed)
        #expect(error?.message.contains("'w' has \(count * 4 + extra) raw bytes") == true, "\(String(describing: error))")
      }
    }
  }

  @Test("a model cut off inside a large raw initializer is malformed, as a plain decode says")
  func truncatedInsideLargeRaw() {
    let (bytes, _) = largeModel(count: RawDataElision.minimumBytes / 4 + 10)
    let truncated = bytes.prefix(bytes.count - 100)
    #expect(RawDataElision(model: truncated) == nil)
    let error = #expect(throws: ModelError.self) { try Model(bytes: truncated) }
    #expect(error?.kind == .malformed && error?.message.contains("not an ONNX model") == true)
  }
}
