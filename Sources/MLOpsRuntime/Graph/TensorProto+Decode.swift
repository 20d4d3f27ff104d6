import Foundation

extension Onnx_TensorProto {
  /// Converts an initializer or attribute tensor, whichever of the typed fields or raw
  /// little-endian bytes the exporter used, checking that the element count matches the
  /// dimensions and stays within the limits before anything is allocated.
  func decodedTensor(limits: ModelLimits) throws -> Tensor {
    let count = try elementCount(limits: limits)
    let shape = dims.map { Int($0) }
    let data = try decodedData(count: count)
    guard data.count == count else {
      throw ModelError.malformed("tensor '\(name)' holds \(data.count) values but its dimensions \(shape) need \(count)")
    }
    return Tensor(shape: shape, data: data)
  }

  /// Whether this tensor holds raw numeric bytes that ``decodedTensor(limits:)`` would accept,
  /// checked without decoding them: for such a tensor only the location, the dimensions and
  /// the byte count can be wrong, so a check-only load (the registry's, of a 50 MB weight
  /// matrix) need not copy it. False for everything else, which must be decoded to be checked.
  func verifiedWithoutDecoding(limits: ModelLimits) throws -> Bool {
    guard hasRawData, let width = Self.rawWidth(dataType) else { return false }
    let count = try elementCount(limits: limits)
    guard rawData.count == count * width else { throw rawLengthError(count: count, width: width) }
    return true
  }

  /// Bytes per element of the types whose raw decoding cannot fail once the length is right
  /// (uint64 is left out: a value above Int64.max fails it).
  private static func rawWidth(_ dataType: Int32) -> Int? {
    switch Onnx_TensorProto.DataType(rawValue: Int(dataType)) {
    case .float, .int32, .uint32: 4
    case .double, .int64: 8
    case .int16, .uint16: 2
    case .int8, .uint8, .bool: 1
    default: nil
    }
  }

  /// The number of elements the dimensions declare, refusing external data, negative
  /// dimensions and counts above the limits before anything is allocated.
  private func elementCount(limits: ModelLimits) throws -> Int {
    guard dataLocation != .external else {
      throw ModelError.unsupported("tensor '\(name)' keeps its data in an external file, which is not supported")
    }
    var count = 1
    for d in dims {
      guard d >= 0, let dim = Int(exactly: d) else { throw ModelError.malformed("tensor '\(name)' has a negative dimension") }
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow, product <= limits.maxTensorElements else {
        throw ModelError.limit("tensor '\(name)' has more than \(limits.maxTensorElements) elements")
      }
      count = product
    }
    return count
  }

  private func rawLengthError(count: Int, width: Int) -> ModelError {
    ModelError.malformed("tensor '\(name)' has \(rawData.count) raw bytes but its dimensions need \(count * width)")
  }

  private func decodedData(count: Int) throws -> TensorData {
    let type = Onnx_TensorProto.DataType(rawValue: Int(dataType))
    switch type {
    case .float: return .float(hasRawData ? try raw(Float.self, count: count) : floatData)
    case .double: return .double(hasRawData ? try raw(Double.self, count: count) : doubleData)
    case .int64: return .int64(hasRawData ? try raw(Int64.self, count: count) : int64Data)
    case .int32, .int16, .int8, .uint16, .uint8:
      return .int64(try narrowIntegers(type!, count: count))
    case .uint32, .uint64:
      let values =
        hasRawData
        ? try (type == .uint32 ? raw(UInt32.self, count: count).map(UInt64.init) : raw(UInt64.self, count: count))
        : uint64Data
      return .int64(
        try values.map {
          guard let v = Int64(exactly: $0) else { throw ModelError.unsupported("tensor '\(name)' holds a uint64 above Int64.max") }
          return v
        })
    case .bool:
      return .bool(hasRawData ? try raw(UInt8.self, count: count).map { $0 != 0 } : int32Data.map { $0 != 0 })
    case .string:
      return .string(
        try stringData.map {
          guard let s = String(validating: $0, as: UTF8.self) else {
            throw ModelError.malformed("tensor '\(name)' holds a string that is not UTF-8")
          }
          return s
        })
    default:
      throw ModelError.unsupported("tensor '\(name)' has element type \(typeName(dataType)), which is not supported")
    }
  }

  private func narrowIntegers(_ type: Onnx_TensorProto.DataType, count: Int) throws -> [Int64] {
    guard hasRawData else { return int32Data.map(Int64.init) }
    switch type {
    case .int32: return try raw(Int32.self, count: count).map(Int64.init)
    case .int16: return try raw(Int16.self, count: count).map(Int64.init)
    case .uint16: return try raw(UInt16.self, count: count).map(Int64.init)
    case .int8: return try raw(Int8.self, count: count).map(Int64.init)
    default: return try raw(UInt8.self, count: count).map(Int64.init)
    }
  }

  /// Reads little-endian fixed-width values from raw_data, refusing a byte count that does not
  /// match the dimensions (the usual sign of truncated or corrupted bytes).
  private func raw<T: FixedWidthInteger & BitwiseCopyable>(_: T.Type, count: Int) throws -> [T] {
    var values: [T] = try rawCopy(count: count)
    #if _endian(big)
      for index in values.indices { values[index] = T(littleEndian: values[index]) }
    #endif
    return values
  }

  private func raw(_: Float.Type, count: Int) throws -> [Float] {
    #if _endian(little)
      try rawCopy(count: count)
    #else
      try raw(UInt32.self, count: count).map { Float(bitPattern: $0) }
    #endif
  }

  private func raw(_: Double.Type, count: Int) throws -> [Double] {
    #if _endian(little)
      try rawCopy(count: count)
    #else
      try raw(UInt64.self, count: count).map { Double(bitPattern: $0) }
    #endif
  }

  /// raw_data's bytes copied as they are into an array of `count` elements: one copy, where
  /// converting element by element through a bit-pattern array made a large initializer
  /// (a 50 MB weight matrix) cost two passes and an extra allocation of its size.
  private func rawCopy<T: BitwiseCopyable>(count: Int) throws -> [T] {
    let width = MemoryLayout<T>.size
    guard rawData.count == count * width else { throw rawLengthError(count: count, width: width) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
      rawData.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
      initialized = count
    }
  }
}

/// ONNX's name for an element type code, for messages.
func typeName(_ code: Int32) -> String {
  let names: [Int32: String] = [
    0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32", 7: "int64",
    8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32", 13: "uint64", 14: "complex64",
    15: "complex128", 16: "bfloat16",
  ]
  return names[code] ?? "code \(code)"
}

/// The runtime's element type for an ONNX type code, or nil when the runtime cannot carry it.
func elementType(code: Int32) -> ElementType? {
  switch code {
  case 1: .float
  case 11: .double
  case 7: .int64
  case 8: .string
  case 9: .bool
  default: nil
  }
}
