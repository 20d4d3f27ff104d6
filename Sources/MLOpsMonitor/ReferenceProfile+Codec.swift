import Foundation
import MLOpsCore

/// The stored form of a profile: raw little-endian doubles, not JSON. A million-value column
/// was 11 MB of base64 to scan before; now loading a profile is a copy per column. Profiles
/// stored as JSON by earlier versions still load.
extension ReferenceProfile {
  /// Starts every binary profile; a JSON profile starts with `{`.
  static let magic: [UInt8] = Array("MLPROF1\n".utf8)

  /// magic, rows, column count, then per column (sorted by name): name, kind (1 numeric,
  /// 2 categorical) and its data; integers are little-endian UInt64, strings length-prefixed.
  func encoded() -> Data {
    var w = ByteWriter(
      capacity: columns.values.reduce(64) { size, column in
        if case .numeric(let values, _) = column { return size + values.count * 8 + 64 }
        return size + 64
      })
    w.bytes.append(contentsOf: Self.magic)
    w.uint64(UInt64(bitPattern: rows))
    w.uint64(UInt64(columns.count))
    for (name, column) in columns.sorted(by: { $0.key < $1.key }) {
      w.string64(name)
      switch column {
      case .numeric(let values, let count):
        w.byte(1)
        w.uint64(UInt64(bitPattern: count))
        w.uint64(UInt64(values.count))
        values.withUnsafeBytes { w.bytes.append(contentsOf: $0) }  // little-endian hosts only (x86-64, arm64)
      case .categorical(let counts):
        w.byte(2)
        w.uint64(UInt64(counts.count))
        for (label, count) in counts.sorted(by: { $0.key < $1.key }) {
          w.string64(label)
          w.uint64(UInt64(count))
        }
      }
    }
    return Data(w.bytes)
  }

  /// A stored profile, binary or (from earlier versions) JSON.
  /// - Throws: ``MonitorError/dataLoss(_:)`` when the bytes are neither.
  static func decode(_ data: Data) throws -> ReferenceProfile {
    if data.first == UInt8(ascii: "{") { return try JSONDecoder().decode(LegacyProfile.self, from: data).profile }
    guard data.starts(with: magic) else { throw MonitorError.dataLoss("a stored reference profile is unreadable") }
    return try data.withUnsafeBytes { raw in
      var reader = ByteReader(bytes: raw)
      reader.offset = magic.count
      let rows = Int64(bitPattern: reader.uint64())
      var columns: [String: ColumnProfile] = [:]
      for _ in 0..<reader.uint64() {
        guard reader.offset < raw.count else { throw MonitorError.dataLoss("a stored reference profile is truncated") }
        let name = reader.string64()
        switch reader.byte() {
        case 1:
          let count = Int64(bitPattern: reader.uint64())
          let values = reader.doubles(reader.uint64())
          columns[name] = .numeric(values: values, count: count)
        case 2:
          var counts: [String: Int] = [:]
          for _ in 0..<reader.uint64() {
            guard reader.offset < raw.count else { throw MonitorError.dataLoss("a stored reference profile is truncated") }
            counts[reader.string64()] = Int(truncatingIfNeeded: reader.uint64())
          }
          columns[name] = .categorical(counts: counts)
        default:
          throw MonitorError.dataLoss("a stored reference profile is unreadable")
        }
      }
      guard reader.offset == raw.count, !reader.overran else { throw MonitorError.dataLoss("a stored reference profile is truncated") }
      return ReferenceProfile(rows: rows, columns: columns)
    }
  }
}

/// The JSON form profiles were stored in before the binary one: values as base64 doubles.
private struct LegacyProfile: Decodable {
  enum Column: Decodable {
    case numeric(values: Data, count: Int64)
    case categorical(counts: [String: Int])
  }

  var rows: Int64
  var columns: [String: Column]

  var profile: ReferenceProfile {
    ReferenceProfile(
      rows: rows,
      columns: columns.mapValues { column in
        switch column {
        case .numeric(let data, let count):
          let values = data.withUnsafeBytes { raw in
            var reader = ByteReader(bytes: raw)
            return reader.doubles(UInt64(raw.count / 8))
          }
          return .numeric(values: values, count: count)
        case .categorical(let counts):
          return .categorical(counts: counts)
        }
      })
  }
}
