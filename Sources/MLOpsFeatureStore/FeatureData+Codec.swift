import Foundation
import MLOpsCore

/// The compact binary form of a row's feature values, stored in the offline log and the online
/// table. Self-describing (name, type tag, value per feature) so rows written under an older
/// version of a view still read back after features are added or removed.
extension FeatureData {
  /// What decoding throws for bytes that are not a value this codec wrote.
  struct Malformed: Error {}

  /// Appends one value (type tag, then little-endian payload) to `out`.
  func append(to out: inout ByteWriter) {
    out.byte(UInt8(type?.rawValue ?? 0))
    switch self {
    case .null: break
    case .int64(let v): out.uint64(UInt64(bitPattern: v))
    case .double(let v): out.uint64(v.bitPattern)
    case .float(let v): out.uint32(v.bitPattern)
    case .string(let v): out.string(v)
    case .bool(let v): out.byte(v ? 1 : 0)
    case .bytes(let v): out.bytes32(v)
    case .int64List(let v):
      out.uint32(UInt32(v.count))
      for value in v { out.uint64(UInt64(bitPattern: value)) }
    case .doubleList(let v):
      out.uint32(UInt32(v.count))
      for value in v { out.uint64(value.bitPattern) }
    case .floatList(let v):
      out.uint32(UInt32(v.count))
      for value in v { out.uint32(value.bitPattern) }
    case .stringList(let v):
      out.uint32(UInt32(v.count))
      for value in v { out.string(value) }
    case .boolList(let v):
      out.uint32(UInt32(v.count))
      for value in v { out.byte(value ? 1 : 0) }
    }
  }

  /// The value's own encoding: equal encodings are equal values, bit for bit.
  public var encoded: [UInt8] {
    var out = ByteWriter()
    append(to: &out)
    return out.bytes
  }

  /// Reads one value written by ``append(to:)``.
  static func read(_ reader: inout ByteReader) throws -> FeatureData {
    let tag = reader.byte()
    if tag == 0 { return .null }
    guard let type = FeatureType(rawValue: Int(tag)) else { throw Malformed() }
    switch type {
    case .int64: return .int64(Int64(bitPattern: reader.uint64()))
    case .double: return .double(Double(bitPattern: reader.uint64()))
    case .float: return .float(Float(bitPattern: reader.uint32()))
    case .string: return .string(reader.string32())
    case .bool: return .bool(reader.byte() != 0)
    case .bytes: return .bytes(Data(reader.bytes32()))
    case .int64List: return .int64List(try list(&reader, unit: 8) { Int64(bitPattern: $0.uint64()) })
    case .doubleList: return .doubleList(try list(&reader, unit: 8) { Double(bitPattern: $0.uint64()) })
    case .floatList: return .floatList(try list(&reader, unit: 4) { Float(bitPattern: $0.uint32()) })
    case .stringList: return .stringList(try list(&reader, unit: 4) { $0.string32() })
    case .boolList: return .boolList(try list(&reader, unit: 1) { $0.byte() != 0 })
    }
  }

  /// A counted list whose elements take at least `unit` bytes each: a count the bytes left
  /// cannot hold is refused before anything is allocated for it.
  private static func list<T>(_ reader: inout ByteReader, unit: Int, _ element: (inout ByteReader) -> T) throws -> [T] {
    let count = reader.count(UInt64(reader.uint32()), unit: unit)
    try reader.check()
    var out: [T] = []
    out.reserveCapacity(count)
    for _ in 0..<count { out.append(element(&reader)) }
    return out
  }
}

/// A row's feature values by name, as one stored blob.
enum FeaturePayload {
  /// The values in `names` order; a feature the blob lacks, or one stored with a type other
  /// than `types` declares now (a forced type change), reads as null. Names are matched as
  /// bytes, the stored position first (the common case: written under the current version).
  static func decode(_ data: Data, names: [String], types: [FeatureType]) throws -> [FeatureData] {
    try data.withUnsafeBytes { raw in
      var out = Array(repeating: FeatureData.null, count: names.count)
      var reader = ByteReader(bytes: raw)
      let count = reader.count(UInt64(reader.uint32()), unit: 5)
      for position in 0..<count {
        let name = reader.bytes32()
        let value = try FeatureData.read(&reader)
        try reader.check()
        let index =
          position < names.count && names[position].utf8.elementsEqual(name)
          ? position : names.firstIndex { $0.utf8.elementsEqual(name) }
        if let index, value.type == types[index] { out[index] = value }
      }
      try reader.check()
      return out
    }
  }
}

/// Encodes rows of one view: each feature's name header is built once, not per row.
struct PayloadWriter {
  private let headers: [[UInt8]]
  private let capacity: Int

  init(names: [String]) {
    headers = names.enumerated().map { index, name in
      var header = ByteWriter()
      if index == 0 { header.uint32(UInt32(names.count)) }
      header.string(name)
      return header.bytes
    }
    capacity = headers.reduce(4) { $0 + $1.count + 9 }
  }

  /// The payload of the row whose feature at position i is `value(i)`.
  func encode(_ value: (Int) -> FeatureData) -> Data {
    var out = ByteWriter(capacity: capacity)
    if headers.isEmpty { out.uint32(0) }
    for (index, header) in headers.enumerated() {
      out.raw(header)
      value(index).append(to: &out)
    }
    return Data(out.bytes)
  }
}
