import Foundation

extension WindowColumns {
  /// Appends `rows` (positions in the block) of a stored block, column by column.
  /// - Returns: their request ids when `ids` is set (labels are looked up by them), else none.
  mutating func append(block: inout PredictionBlock.Reader, rows: Range<Int>, ids: Bool) -> [String] {
    block.skipTimes()
    let latencies = block.latencies()
    var requestIDs: [String] = []
    if ids { requestIDs = block.requestIDs(rows) } else { block.skipSection() }
    block.skipSection()
    block.skipSection()
    let first = count - rows.lowerBound
    for row in rows {
      startRow(label: .missing, latency: row < latencies.count ? latencies[row] : 0)
      finishRow()
    }
    for name in block.names {
      let index = names.firstIndex(of: name)
      block.column(rows) { row, value in
        if let index { set(index, value, row: first + row) }
      }
    }
    return requestIDs
  }
}
