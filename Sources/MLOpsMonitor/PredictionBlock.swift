import Foundation
import MLOpsCore

/// One monitor's predictions from one call, stored as one row, column by column: a
/// 2,000-record batch is one insert and one contiguous blob instead of 2,000 rows, each with
/// its field names spelled out and two index entries. Windows read back whole columns of
/// doubles without parsing a row at a time.
///
/// Layout (little-endian): version byte; record count; column count and names; every
/// record's time, then every record's latency; three length-prefixed sections (request ids,
/// variants, model versions); then each column, either all numbers (a double per record, NaN
/// when missing) or general (a tag and value per record, as ``ValueCodec`` writes values).
struct PredictionBlock: Sendable {
  /// Per column: a whole column of numbers or any values.
  enum Column {
    /// NaN: missing.
    case numbers([Double])
    case values([FieldValue])
  }

  static let version: UInt8 = 1

  let monitor: String
  let count: Int
  let minTime: Int64
  let maxTime: Int64
  /// Kept beside the blob for the request-id index.
  let requestIDs: [String]
  let data: Data

  /// - Parameters: every array has one entry per record; `columns` are the monitor's
  ///   monitored columns present in the call.
  init(
    monitor: String, requestIDs: [String], times: [Int64], latencies: [Double], variants: [String], modelVersions: [Int64],
    columns: [(name: String, values: Column)]
  ) {
    (self.monitor, self.count, self.requestIDs) = (monitor, requestIDs.count, requestIDs)
    (minTime, maxTime) = (times.min() ?? 0, times.max() ?? 0)
    var w = ByteWriter(capacity: 16 + requestIDs.count * (40 + 9 * columns.count))
    w.byte(Self.version)
    w.uint32(UInt32(count))
    w.uint32(UInt32(columns.count))
    for column in columns { w.string(column.name) }
    for time in times { w.uint64(UInt64(bitPattern: time)) }
    for latency in latencies { w.uint64(latency.bitPattern) }
    w.section { w in for id in requestIDs { w.string(id) } }
    w.section { w in for variant in variants { w.string(variant) } }
    w.section { w in for version in modelVersions { w.uint64(UInt64(bitPattern: version)) } }
    for column in columns {
      switch column.values {
      case .numbers(let numbers):
        w.byte(1)
        for number in numbers { w.uint64(number.bitPattern) }
      case .values(let values):
        w.byte(2)
        for value in values { w.value(value) }
      }
    }
    data = Data(w.bytes)
  }
}
