import MLOpsRuntime

/// Signature rules: well-formed on registration, and for ONNX artifacts in agreement with
/// the graph the runtime loaded.
enum SignatureCheck {
  /// ValueType numbers from mlops.common.v1 (1 int64 … 11 bool list).
  static let valueTypes = 1...11

  static func validate(_ signature: Signature) throws {
    for (side, columns) in [("inputs", signature.inputs), ("outputs", signature.outputs)] {
      var seen: Set<String> = []
      for (index, column) in columns.enumerated() {
        let field = "signature.\(side)[\(index)]"
        guard !column.name.isEmpty else { throw RegistryError.invalidArgument(field: "\(field).name", reason: "must not be empty") }
        guard seen.insert(column.name).inserted else {
          throw RegistryError.invalidArgument(field: "\(field).name", reason: "'\(column.name)' appears twice")
        }
        guard valueTypes.contains(column.type) else {
          throw RegistryError.invalidArgument(field: "\(field).type", reason: "must be a value type (INT64 … BOOL_LIST)")
        }
        guard column.shape.allSatisfy({ $0 == -1 || $0 > 0 }) else {
          throw RegistryError.invalidArgument(field: "\(field).shape", reason: "dimensions are positive, or -1 for a variable one")
        }
      }
    }
  }

  /// Why the loaded graph and the signature disagree, or nil when they agree: every graph
  /// input is a signature input (and the reverse), and every signature output is produced.
  static func disagreement(inputs: [ValueSpec], outputs: [ValueSpec], _ signature: Signature) -> String? {
    let graphInputs = Set(inputs.map(\.name))
    let graphOutputs = Set(outputs.map(\.name))
    let signed = Set(signature.inputs.map(\.name))
    if let missing = graphInputs.subtracting(signed).sorted().first {
      return "the graph takes input '\(missing)', which the signature does not list"
    }
    if let extra = signed.subtracting(graphInputs).sorted().first {
      return "the signature lists input '\(extra)', which the graph does not take"
    }
    if let extra = signature.outputs.map(\.name).first(where: { !graphOutputs.contains($0) }) {
      return
        "the signature lists output '\(extra)', which the graph does not produce (it produces \(graphOutputs.sorted().joined(separator: ", ")))"
    }
    for column in signature.inputs {
      guard let spec = inputs.first(where: { $0.name == column.name }),
        case .tensor(let element, let shape) = spec.kind, let expected = elementType(column.type)
      else { continue }
      if element != expected {
        return "input '\(column.name)' is \(element) in the graph but \(expected) in the signature"
      }
      if let shape, let mismatch = shapeDisagreement(graph: shape, signed: column.shape) {
        return "input '\(column.name)' \(mismatch)"
      }
    }
    return nil
  }

  /// Why a signature's shape contradicts the graph's: a different rank, or a fixed dimension
  /// of another size (a graph taking 8 features under a 12-feature signature would accept the
  /// signature's rows and then fail every one). Variable dimensions (-1, or symbolic in the
  /// graph) agree with anything; a signature without a shape says nothing.
  static func shapeDisagreement(graph: [Int?], signed: [Int64]) -> String? {
    guard !signed.isEmpty else { return nil }
    guard graph.count == signed.count else {
      return "has rank \(graph.count) in the graph but \(signed.count) in the signature"
    }
    for (axis, (fixed, declared)) in zip(graph, signed).enumerated() {
      if let fixed, declared > 0, Int64(fixed) != declared {
        return "has \(fixed) in dimension \(axis) in the graph but \(declared) in the signature"
      }
    }
    return nil
  }

  /// The tensor element type a signature ValueType stands for (lists by their element).
  static func elementType(_ type: Int) -> ElementType? {
    switch type {
    case 1, 7: .int64
    case 2, 8: .double
    case 3, 9: .float
    case 4, 10: .string
    case 5, 11: .bool
    default: nil
    }
  }
}
