import Foundation

/// How a factory reads one node: its identity for error messages, typed attributes, the
/// opset version in force, and any inputs already known at load (initializers, folded nodes).
struct NodeContext {
  let name: String
  let opType: String
  let domain: String
  let opset: Int
  let attributes: [String: Onnx_AttributeProto]
  let limits: ModelLimits

  /// "node 'X' (ai.onnx.ml TreeEnsembleClassifier, opset 3)" — the prefix of every load error.
  var label: String {
    let domainName = domain.isEmpty ? "ai.onnx" : domain
    return "node '\(name)' (\(domainName) \(opType), opset \(opset))"
  }

  func invalid(_ attribute: String, _ reason: String) -> ModelError {
    .invalidGraph("\(label): attribute '\(attribute)' \(reason)")
  }

  func has(_ name: String) -> Bool { attributes[name] != nil }

  func int(_ name: String) throws -> Int? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .int || (a.type == .undefined && a.hasI) else { throw invalid(name, "must be an int") }
    guard let v = Int(exactly: a.i) else { throw invalid(name, "is out of range") }
    return v
  }

  func int(_ name: String, default value: Int) throws -> Int { try int(name) ?? value }

  func float(_ name: String) throws -> Float? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .float || (a.type == .undefined && a.hasF) else { throw invalid(name, "must be a float") }
    return a.f
  }

  func string(_ name: String) throws -> String? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .string || (a.type == .undefined && a.hasS) else { throw invalid(name, "must be a string") }
    guard let s = String(validating: a.s, as: UTF8.self) else { throw invalid(name, "is not UTF-8") }
    return s
  }

  func ints(_ name: String) throws -> [Int64]? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .ints || a.type == .undefined else { throw invalid(name, "must be a list of ints") }
    return a.ints
  }

  func floats(_ name: String) throws -> [Float]? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .floats || a.type == .undefined else { throw invalid(name, "must be a list of floats") }
    return a.floats
  }

  func strings(_ name: String) throws -> [String]? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .strings || a.type == .undefined else { throw invalid(name, "must be a list of strings") }
    return try a.strings.map {
      guard let s = String(validating: $0, as: UTF8.self) else { throw invalid(name, "holds a string that is not UTF-8") }
      return s
    }
  }

  func tensor(_ name: String) throws -> Tensor? {
    guard let a = attributes[name] else { return nil }
    guard a.type == .tensor || (a.type == .undefined && a.hasT) else { throw invalid(name, "must be a tensor") }
    do {
      return try a.t.decodedTensor(limits: limits)
    } catch let error as ModelError {
      throw invalid(name, error.message)
    }
  }
}
