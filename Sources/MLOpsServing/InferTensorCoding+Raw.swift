import Foundation
import MLOpsRuntime

/// The raw (little-endian) byte forms of Open Inference Protocol tensors, as Triton's clients
/// send and read them.
extension InferTensorCoding {
  static func decodeRaw(_ data: Data, datatype: String, field: String) throws -> Elements {
    func fixed<T: FixedWidthInteger>(_: T.Type) throws -> [T] {
      guard data.count % MemoryLayout<T>.size == 0 else {
        throw ServingError.invalidArgument(
          field: "raw_input_contents", reason: "\(field): \(data.count) bytes is not a whole number of \(datatype)")
      }
      return data.withUnsafeBytes { bytes in
        (0..<data.count / MemoryLayout<T>.size).map {
          T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
        }
      }
    }
    switch datatype {
    case "FP32": return .numbers(try fixed(UInt32.self).map { Double(Float(bitPattern: $0)) })
    case "FP64": return .numbers(try fixed(UInt64.self).map { Double(bitPattern: $0) })
    case "INT8": return .integers(try fixed(Int8.self).map(Int64.init))
    case "INT16": return .integers(try fixed(Int16.self).map(Int64.init))
    case "INT32": return .integers(try fixed(Int32.self).map(Int64.init))
    case "INT64": return .integers(try fixed(Int64.self))
    case "UINT8": return .integers(try fixed(UInt8.self).map(Int64.init))
    case "UINT16": return .integers(try fixed(UInt16.self).map(Int64.init))
    case "UINT32": return .integers(try fixed(UInt32.self).map(Int64.init))
    case "UINT64": return .integers(try fixed(UInt64.self).map { Int64(clamping: $0) })
    case "BOOL": return .bools(data.map { $0 != 0 })
    case "BYTES": return .strings(try strings(data, field: field))
    default:
      throw ServingError.invalidArgument(field: "\(field).datatype", reason: "'\(datatype)' is not an Open Inference Protocol datatype")
    }
  }

  /// BYTES elements: each a 4-byte little-endian length, then that many bytes.
  private static func strings(_ data: Data, field: String) throws -> [String] {
    var result: [String] = []
    var offset = data.startIndex
    while offset < data.endIndex {
      guard data.endIndex - offset >= 4 else {
        throw ServingError.invalidArgument(field: "raw_input_contents", reason: "\(field): a BYTES element is cut short")
      }
      let length = data[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
      offset += 4
      guard data.endIndex - offset >= length else {
        throw ServingError.invalidArgument(field: "raw_input_contents", reason: "\(field): a BYTES element is cut short")
      }
      result.append(String(decoding: data[offset..<offset + length], as: UTF8.self))
      offset += length
    }
    return result
  }

  /// An output as its datatype, shape and raw bytes.
  static func encode(_ value: Value) -> (datatype: String, shape: [Int64], raw: Data) {
    switch value {
    case .maps(let maps):
      let width = maps.labels.count
      return ("FP32", [Int64(maps.rowCount), Int64(width)], raw(maps.probabilities.map(\.bitPattern)))
    case .tensor(let t):
      let shape = t.shape.map(Int64.init)
      switch t.data {
      case .float(let v): return ("FP32", shape, raw(v.map(\.bitPattern)))
      case .double(let v): return ("FP64", shape, raw(v.map(\.bitPattern)))
      case .int64(let v): return ("INT64", shape, raw(v))
      case .bool(let v): return ("BOOL", shape, Data(v.map { $0 ? 1 : 0 }))
      case .string(let v):
        var data = Data()
        for text in v {
          data.append(raw([UInt32(text.utf8.count)]))
          data.append(contentsOf: text.utf8)
        }
        return ("BYTES", shape, data)
      }
    }
  }

  private static func raw<T: FixedWidthInteger>(_ values: [T]) -> Data {
    var data = Data(capacity: values.count * MemoryLayout<T>.size)
    for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    return data
  }
}
