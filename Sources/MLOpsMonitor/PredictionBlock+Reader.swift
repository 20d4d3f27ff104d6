import Foundation
import MLOpsCore

extension PredictionBlock {
  /// Reads a stored block's sections in the order they were written; what a caller does not
  /// need it skips by length (request ids) or arithmetic (numbers), never value by value.
  struct Reader {
    private var reader: ByteReader
    let count: Int
    let names: [String]

    /// Throws DATA_LOSS for a blob this build did not write, rather than misreading it.
    init(_ bytes: UnsafeRawBufferPointer, monitor: String) throws {
      reader = ByteReader(bytes: bytes)
      guard reader.byte() == PredictionBlock.version else {
        throw MonitorError.dataLoss("monitor '\(monitor)': a stored prediction block has an unknown format")
      }
      count = Int(reader.uint32())
      let columns = Int(reader.uint32())
      var names: [String] = []
      for _ in 0..<min(columns, bytes.count) { names.append(reader.string32()) }
      self.names = names
      guard !reader.overran else { throw MonitorError.dataLoss("monitor '\(monitor)': a stored prediction block is cut short") }
    }

    mutating func times() -> [Int64] { (0..<count).map { _ in Int64(bitPattern: reader.uint64()) } }

    mutating func latencies() -> [Double] { (0..<count).map { _ in Double(bitPattern: reader.uint64()) } }

    /// Skips the times; the latencies come next.
    mutating func skipTimes() { _ = reader.slice(count * 8) }

    /// The request ids of `rows`; the variants come next.
    mutating func requestIDs(_ rows: Range<Int>) -> [String] {
      var section = ByteReader(bytes: reader.slice(Int(reader.uint32())))
      var ids: [String] = []
      ids.reserveCapacity(rows.count)
      for row in 0..<rows.upperBound {
        let id = section.slice(Int(section.uint32()))
        if row >= rows.lowerBound { ids.append(String(decoding: id, as: UTF8.self)) }
      }
      return ids
    }

    /// Skips a length-prefixed section (request ids, variants, model versions).
    mutating func skipSection() { _ = reader.slice(Int(reader.uint32())) }

    /// Hands `body` the next column's value in each of `rows`, with the row's position in
    /// the block, and moves past the column.
    mutating func column(_ rows: Range<Int>, _ body: (Int, FieldValue) -> Void) {
      switch reader.byte() {
      case 1:
        let numbers = reader.slice(count * 8)
        for row in rows where row * 8 + 8 <= numbers.count {
          let number = Double(bitPattern: UInt64(littleEndian: numbers.loadUnaligned(fromByteOffset: row * 8, as: UInt64.self)))
          body(row, number.isNaN ? .missing : .number(number))
        }
      default:
        for row in 0..<count {
          let value = reader.value()
          if rows.contains(row) { body(row, value) }
        }
      }
    }

    /// Whether a read ran past the blob's end: it was cut short.
    var overran: Bool { reader.overran }
  }
}
