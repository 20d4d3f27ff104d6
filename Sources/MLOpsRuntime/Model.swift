import Foundation
import SwiftProtobuf

/// An ONNX model loaded, validated and planned once, then run any number of times, from any
/// number of tasks at once: the plan is immutable and each call works on its own slots.
public final class Model: Sendable {
  /// What the caller feeds, in declaration order.
  public let inputs: [ValueSpec]
  /// What a call returns, in declaration order.
  public let outputs: [ValueSpec]
  /// Each operator the graph uses, as "domain:Op", sorted.
  public let operators: [String]
  /// Imported opset version per domain ("ai.onnx", "ai.onnx.ml", …).
  public let opsets: [String: Int]
  /// The exporter that wrote the file, e.g. "skl2onnx 1.20.0".
  public let producer: String
  /// The bounds this model was checked against; calls are held to them too.
  public let limits: ModelLimits
  let plan: ExecutionPlan

  /// Loads a model from the bytes of a .onnx file. Every problem that could stop a prediction
  /// — malformed bytes, an unsupported operator or opset, an inconsistent graph, a limit — is
  /// raised here as a `ModelError`, never later by `run`.
  public init(bytes: Data, limits: ModelLimits = .standard) throws {
    let summary = try ModelSummary(bytes: bytes, limits: limits)
    self.plan = try Self.plan(summary, limits: limits, materializesConstants: true)
    self.inputs = plan.inputSlots.map(\.spec)
    self.outputs = summary.outputs
    self.operators = summary.operators
    self.opsets = summary.opsets
    self.producer = summary.producer
    self.limits = limits
  }

  /// Loads a model from a .onnx file on disk.
  public convenience init(contentsOf url: URL, limits: ModelLimits = .standard) throws {
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    guard size <= limits.maxModelBytes else {
      throw ModelError.limit("the model file is \(size) bytes; the limit is \(limits.maxModelBytes)")
    }
    try self.init(bytes: try Data(contentsOf: url), limits: limits)
  }
}

/// What a model file declares, readable even when the runtime cannot run it — the first half of
/// `mlops model check`, and the registry's view of an upload.
public struct ModelSummary: Sendable {
  public let inputs: [ValueSpec]
  public let outputs: [ValueSpec]
  public let operators: [String]
  public let opsets: [String: Int]
  public let producer: String
  let proto: Onnx_ModelProto
  /// Opsets keyed as nodes spell their domain ("" for ai.onnx).
  let importedOpsets: [String: Int]

  /// Decodes the file and reads its declarations; only malformed bytes fail here.
  public init(bytes: Data, limits: ModelLimits = .standard) throws {
    guard bytes.count <= limits.maxModelBytes else {
      throw ModelError.limit("the model is \(bytes.count) bytes; the limit is \(limits.maxModelBytes)")
    }
    let proto: Onnx_ModelProto
    do {
      proto = try Self.decode(bytes)
    } catch {
      throw ModelError.malformed("the bytes are not an ONNX model (protobuf decoding failed: \(error))")
    }
    guard proto.hasGraph else { throw ModelError.malformed("the bytes are not an ONNX model: there is no graph") }
    var imported: [String: Int] = [:]
    for opset in proto.opsetImport {
      let domain = opset.domain == "ai.onnx" ? "" : opset.domain
      imported[domain] = Int(clamping: opset.version)
    }
    self.proto = proto
    self.importedOpsets = imported
    self.opsets = Dictionary(uniqueKeysWithValues: imported.map { ($0.key.isEmpty ? "ai.onnx" : $0.key, $0.value) })
    let initialized = Set(proto.graph.initializer.map(\.name))
    self.inputs = proto.graph.input.filter { !initialized.contains($0.name) }.map {
      (try? $0.spec(role: "input")) ?? ValueSpec(name: $0.name, kind: .unknown)
    }
    self.outputs = proto.graph.output.map { (try? $0.spec(role: "output")) ?? ValueSpec(name: $0.name, kind: .unknown) }
    self.operators = Set(proto.graph.node.map { ($0.domain.isEmpty ? "ai.onnx" : $0.domain) + ":" + $0.opType }).sorted()
    self.producer = [proto.producerName, proto.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// The protobuf decoded with large raw initializers left in `bytes` (``RawDataElision``)
  /// rather than copied out of it; the bytes decoded whole when that does not apply.
  private static func decode(_ bytes: Data) throws -> Onnx_ModelProto {
    var options = BinaryDecodingOptions()
    options.messageDepthLimit = 64
    if let elision = RawDataElision(model: bytes),
      var proto = try? Onnx_ModelProto(serializedBytes: elision.stripped, options: options),
      elision.restore(into: &proto, from: bytes)
    {
      return proto
    }
    return try Onnx_ModelProto(serializedBytes: bytes, options: options)
  }
}

extension Model {
  /// Every operator the runtime implements, as "domain:Op".
  public static var supportedOperators: [String] { OperatorRegistry.operatorNames }
}
