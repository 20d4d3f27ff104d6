import Foundation

/// The compact binary form of a row's feature values, stored in the offline log and the online
/// table. Self-describing (name, type tag, value per feature) so rows written under an older
/// version of a view still read back after features are added or removed.
extension FeatureData {
  /// Appends one value (type tag, then little-endian payload) to `out`.
  func append(to out: inout [UInt8]) {
    out.append(UInt8(type?.rawValue ?? 0))
    switch self {
    case .null: break
    case .int64(let v): out.appendInteger(UInt64(bitPattern: v))
    case .double(let v): out.appendInteger(v.bitPattern)
    case .float(let v): out.appendInteger(v.bitPattern)
    case .string(let v): out.appendBytes(Array(v.utf8))
    case .bool(let v): out.append(v ? 1 : 0)
    case .bytes(let v): out.appendBytes(Array(v))
    case .int64List(let v):
      out.appendCount(v.count)
      v.forEach { out.appendInteger(UInt64(bitPattern: $0)) }
    case .doubleList(let v):
      out.appendCount(v.count)
      v.forEach { out.appendInteger($0.bitPattern) }
    case .floatList(let v):
      out.appendCount(v.count)
      v.forEach { out.appendInteger($0.bitPattern) }
    case .stringList(let v):
      out.appendCount(v.count)
      v.forEach { out.appendBytes(Array($0.utf8)) }
    case .boolList(let v):
      out.appendCount(v.count)
      v.forEach { out.append($0 ? 1 : 0) }
    }
  }

  /// The value's own encoding: equal encodings are equal values, bit for bit.
  public var encoded: [UInt8] {
    var out: [UInt8] = []
    append(to: &out)
    return out
  }

  /// Reads one value written by ``append(to:)``.
  static func read(_ reader: inout ByteReader) throws -> FeatureData {
    let tag = try reader.byte()
    if tag == 0 { return .null }
    guard let type = FeatureType(rawValue: Int(tag)) else { throw ByteReader.Malformed() }
    switch type {
    case .int64: return .int64(Int64(bitPattern: try reader.integer()))
    case .double: return .double(Double(bitPattern: try reader.integer()))
    case .float: return .float(Float(bitPattern: try reader.integer()))
    case .string: return .string(try reader.string())
    case .bool: return .bool(try reader.byte() != 0)
    case .bytes: return .bytes(Data(try reader.bytes()))
    case .int64List: return .int64List(try reader.list { Int64(bitPattern: try $0.integer()) })
    case .doubleList: return .doubleList(try reader.list { Double(bitPattern: try $0.integer()) })
    case .floatList: return .floatList(try reader.list { Float(bitPattern: try $0.integer()) })
    case .stringList: return .stringList(try reader.list { try $0.string() })
    case .boolList: return .boolList(try reader.list { try $0.byte() != 0 })
    }
  }
}

/// A row's feature values by name, as one stored blob.
enum FeaturePayload {
  /// The values in `names` order; a feature the blob lacks, or one stored with a type other
  /// than `types` declares now (a forced type change), reads as null. Names are matched as
  /// bytes, the stored position first (the common case: written under the current version).
  static func decode(_ data: Data, names: [String], types: [FeatureType]) throws -> [FeatureData] {
    var out = Array(repeating: FeatureData.null, count: names.count)
    var reader = ByteReader(Array(data))
    let count = try reader.count()
    for position in 0..<count {
      let name = try reader.bytes()
      let value = try FeatureData.read(&reader)
      let index =
        position < names.count && names[position].utf8.elementsEqual(name)
        ? position : names.firstIndex { $0.utf8.elementsEqual(name) }
      if let index, value.type == types[index] { out[index] = value }
    }
    return out
  }
}

/// Encodes rows of one view: each feature's name header is built once, not per row.
struct PayloadWriter {
  private let headers: [[UInt8]]
  private let capacity: Int

  init(names: [String]) {
    var count: [UInt8] = []
    count.appendCount(names.count)
    headers = names.enumerated().map { index, name in
      var header: [UInt8] = index == 0 ? count : []
      header.appendBytes(Array(name.utf8))
      return header
    }
    capacity = headers.reduce(4) { $0 + $1.count + 9 }
  }

  /// The payload of the row whose feature at position i is `value(i)`.
  func encode(_ value: (Int) -> FeatureData) -> Data {
    var out: [UInt8] = []
    out.reserveCapacity(capacity)
    if headers.isEmpty { out.appendCount(0) }
    for (index, header) in headers.enumerated() {
      out.append(contentsOf: header)
      value(index).append(to: &out)
    }
    return Data(out)
  }
}

/// Sequential reads over an encoded payload; any overrun is ``Malformed``.
struct ByteReader {
  struct Malformed: Error {}
  let buffer: [UInt8]
  var offset = 0

  init(_ bytes: [UInt8]) { self.buffer = bytes }

  mutating func byte() throws -> UInt8 {
    guard offset < buffer.count else { throw Malformed() }
    defer { offset += 1 }
    return buffer[offset]
  }

  mutating func integer<T: FixedWidthInteger>() throws -> T {
    let size = MemoryLayout<T>.size
    guard offset + size <= buffer.count else { throw Malformed() }
    var value: T = 0
    for i in 0..<size { value |= T(buffer[offset + i]) << (8 * i) }
    offset += size
    return value
  }

  mutating func count() throws -> Int { Int(try integer() as UInt32) }

  mutating func bytes() throws -> ArraySlice<UInt8> {
    let length = try count()
    guard offset + length <= buffer.count else { throw Malformed() }
    defer { offset += length }
    return buffer[offset..<offset + length]
  }

  mutating func string() throws -> String { String(decoding: try bytes(), as: UTF8.self) }

  mutating func list<T>(_ element: (inout ByteReader) throws -> T) throws -> [T] {
    let n = try count()
    var out: [T] = []
    out.reserveCapacity(min(n, 1 << 16))
    for _ in 0..<n { out.append(try element(&self)) }
    return out
  }
}

extension [UInt8] {
  mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
    for i in 0..<MemoryLayout<T>.size { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
  }

  mutating func appendCount(_ n: Int) { appendInteger(UInt32(n)) }

  mutating func appendBytes(_ bytes: [UInt8]) {
    appendCount(bytes.count)
    append(contentsOf: bytes)
  }
}
