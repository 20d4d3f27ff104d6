import Foundation
import GRPCCore
import MLOpsProto

/// Tensors between the Open Inference Protocol's JSON (`{"name", "datatype", "shape", "data"}`,
/// data flattened row-major) and its gRPC messages (typed contents in, typed or raw contents
/// out, as Triton writes them).
enum OIPTensors {
  /// A JSON infer request as the gRPC one. - Throws: INVALID_ARGUMENT naming the input.
  static func request(_ body: [UInt8], model: String, version: String) throws -> Inference_ModelInferRequest {
    guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
      throw RPCError(code: .invalidArgument, message: "body: not a JSON object")
    }
    guard let inputs = object["inputs"] as? [[String: Any]], !inputs.isEmpty else {
      throw RPCError(code: .invalidArgument, message: "inputs: a list of tensors is required")
    }
    return try .with { r in
      r.modelName = model
      r.modelVersion = version
      r.id = object["id"] as? String ?? ""
      r.inputs = try inputs.enumerated().map { index, input in try tensor(input, field: "inputs[\(index)]") }
      r.outputs = ((object["outputs"] as? [[String: Any]]) ?? []).map { output in .with { $0.name = output["name"] as? String ?? "" } }
    }
  }

  static func tensor(_ input: [String: Any], field: String) throws -> Inference_ModelInferRequest.InferInputTensor {
    guard let name = input["name"] as? String, let datatype = input["datatype"] as? String,
      let shape = (input["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.int64Value })
    else { throw RPCError(code: .invalidArgument, message: "\(field): name, datatype and shape are required") }
    let data = flatten(input["data"] ?? [])
    func numbers() throws -> [NSNumber] {
      try data.map {
        guard let number = $0 as? NSNumber else { throw RPCError(code: .invalidArgument, message: "\(field).data: \($0) is not a number") }
        return number
      }
    }
    var contents = Inference_InferTensorContents()
    switch datatype {
    case "FP32", "FP16": contents.fp32Contents = try numbers().map(\.floatValue)
    case "FP64": contents.fp64Contents = try numbers().map(\.doubleValue)
    case "INT8", "INT16", "INT32": contents.intContents = try numbers().map(\.int32Value)
    case "INT64": contents.int64Contents = try numbers().map(\.int64Value)
    case "UINT8", "UINT16", "UINT32": contents.uintContents = try numbers().map(\.uint32Value)
    case "UINT64": contents.uint64Contents = try numbers().map(\.uint64Value)
    case "BOOL": contents.boolContents = try numbers().map(\.boolValue)
    case "BYTES": contents.bytesContents = data.map { Data("\($0)".utf8) }
    default: throw RPCError(code: .invalidArgument, message: "\(field).datatype: '\(datatype)' is not an Open Inference Protocol datatype")
    }
    return .with {
      $0.name = name
      $0.datatype = datatype
      $0.shape = shape
      $0.contents = contents
    }
  }

  /// Nested arrays flattened in row-major order.
  static func flatten(_ value: Any) -> [Any] {
    guard let list = value as? [Any] else { return [value] }
    return list.flatMap(flatten)
  }

  /// A gRPC infer answer as JSON, each output's data from its raw bytes or typed contents.
  static func answer(_ r: Inference_ModelInferResponse) throws -> [String: Any] {
    let outputs = try r.outputs.enumerated().map { index, output -> [String: Any] in
      let data = index < r.rawOutputContents.count ? try raw(r.rawOutputContents[index], datatype: output.datatype) : typed(output.contents)
      return ["name": output.name, "datatype": output.datatype, "shape": output.shape, "data": data]
    }
    var answer: [String: Any] = ["model_name": r.modelName, "model_version": r.modelVersion, "outputs": outputs]
    if !r.id.isEmpty { answer["id"] = r.id }
    return answer
  }

  static func typed(_ c: Inference_InferTensorContents) -> [Any] {
    if !c.fp32Contents.isEmpty { return c.fp32Contents.map { Double($0) } }
    if !c.fp64Contents.isEmpty { return c.fp64Contents }
    if !c.intContents.isEmpty { return c.intContents }
    if !c.int64Contents.isEmpty { return c.int64Contents }
    if !c.uintContents.isEmpty { return c.uintContents }
    if !c.uint64Contents.isEmpty { return c.uint64Contents }
    if !c.boolContents.isEmpty { return c.boolContents }
    return c.bytesContents.map { String(decoding: $0, as: UTF8.self) }
  }

  /// Little-endian raw contents of one datatype as JSON values.
  static func raw(_ bytes: Data, datatype: String) throws -> [Any] {
    let b = [UInt8](bytes)
    func values<T: FixedWidthInteger>(_: T.Type) -> [T] {
      stride(from: 0, to: b.count - MemoryLayout<T>.size + 1, by: MemoryLayout<T>.size).map { offset in
        (0..<MemoryLayout<T>.size).reduce(T.zero) { $0 | T(truncatingIfNeeded: b[offset + $1]) << ($1 * 8) }
      }
    }
    switch datatype {
    case "FP32": return values(UInt32.self).map { Double(Float(bitPattern: $0)) }
    case "FP64": return values(UInt64.self).map { Double(bitPattern: $0) }
    case "INT8": return values(UInt8.self).map { Int8(bitPattern: $0) }
    case "INT16": return values(UInt16.self).map { Int16(bitPattern: $0) }
    case "INT32": return values(UInt32.self).map { Int32(bitPattern: $0) }
    case "INT64": return values(UInt64.self).map { Int64(bitPattern: $0) }
    case "UINT8": return values(UInt8.self)
    case "UINT16": return values(UInt16.self)
    case "UINT32": return values(UInt32.self)
    case "UINT64": return values(UInt64.self)
    case "BOOL": return b.map { $0 != 0 }
    case "BYTES": return strings(b)
    default: throw RPCError(code: .internalError, message: "outputs: the router answered an unknown datatype '\(datatype)'")
    }
  }

  /// BYTES elements: each a 4-byte little-endian length, then its bytes.
  static func strings(_ b: [UInt8]) -> [Any] {
    var out: [Any] = []
    var offset = 0
    while offset + 4 <= b.count {
      let length = Int(b[offset]) | Int(b[offset + 1]) << 8 | Int(b[offset + 2]) << 16 | Int(b[offset + 3]) << 24
      offset += 4
      guard offset + length <= b.count else { break }
      out.append(String(decoding: b[offset..<offset + length], as: UTF8.self))
      offset += length
    }
    return out
  }
}
