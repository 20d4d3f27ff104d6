import Foundation
import MLOpsProto
import MLOpsRuntime

/// Open Inference Protocol tensors ⇄ runtime tensors: the datatypes KServe and Triton use
/// (`FP32`, `FP64`, `INT8`…`INT64`, `UINT8`…`UINT64`, `BOOL`, `BYTES`), typed contents or
/// `raw_input_contents` (little-endian; BYTES as 4-byte length + bytes), widened to what the
/// model declares.
enum InferTensorCoding {
  /// Most elements one input may have.
  static let maxElements = 1 << 26

  static func tensor(
    _ input: Inference_ModelInferRequest.InferInputTensor, raw: Data?, expected: ElementType, field: String
  ) throws -> Tensor {
    var count = 1
    for (axis, dimension) in input.shape.enumerated() {
      guard dimension >= 0, dimension <= maxElements else {
        throw ServingError.invalidArgument(field: "\(field).shape[\(axis)]", reason: "\(dimension) is not a dimension (0...\(maxElements))")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
      guard !overflow, product <= maxElements else {
        throw ServingError.invalidArgument(field: "\(field).shape", reason: "has more than \(maxElements) elements")
      }
      count = product
    }
    let values =
      try raw.map { try decodeRaw($0, datatype: input.datatype, field: field) }
      ?? typed(input.contents, datatype: input.datatype, field: field)
    guard values.count == count else {
      throw ServingError.invalidArgument(
        field: "\(field).contents", reason: "holds \(values.count) elements; shape \(input.shape) needs \(count)")
    }
    return Tensor(shape: input.shape.map(Int.init), data: try values.converted(to: expected, field: field))
  }

  /// Elements before conversion to the model's type.
  enum Elements {
    case numbers([Double]), integers([Int64]), strings([String]), bools([Bool])

    var count: Int {
      switch self {
      case .numbers(let v): v.count
      case .integers(let v): v.count
      case .strings(let v): v.count
      case .bools(let v): v.count
      }
    }

    func converted(to type: ElementType, field: String) throws -> TensorData {
      switch (self, type) {
      case (.numbers(let v), .float): return .float(v.map(Float.init))
      case (.numbers(let v), .double): return .double(v)
      case (.integers(let v), .float): return .float(v.map(Float.init))
      case (.integers(let v), .double): return .double(v.map(Double.init))
      case (.integers(let v), .int64): return .int64(v)
      case (.strings(let v), .string): return .string(v)
      case (.bools(let v), .bool): return .bool(v)
      default: throw ServingError.invalidArgument(field: "\(field).datatype", reason: "does not fit the model's \(type) input")
      }
    }
  }

  private static func typed(_ c: Inference_InferTensorContents, datatype: String, field: String) throws -> Elements {
    switch datatype {
    case "FP32", "FP16": return .numbers(c.fp32Contents.map(Double.init))
    case "FP64": return .numbers(c.fp64Contents)
    case "INT8", "INT16", "INT32": return .integers(c.intContents.map(Int64.init))
    case "INT64": return .integers(c.int64Contents)
    case "UINT8", "UINT16", "UINT32": return .integers(c.uintContents.map(Int64.init))
    case "UINT64": return .integers(c.uint64Contents.map { Int64(clamping: $0) })
    case "BOOL": return .bools(c.boolContents)
    case "BYTES": return .strings(c.bytesContents.map { String(decoding: $0, as: UTF8.self) })
    default:
      throw ServingError.invalidArgument(field: "\(field).datatype", reason: "'\(datatype)' is not an Open Inference Protocol datatype")
    }
  }
}
