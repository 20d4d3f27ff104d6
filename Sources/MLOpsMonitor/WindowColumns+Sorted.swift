import MLOpsStatistics

/// The form a closed window is kept in memory: every drift test the monitor runs on a numeric
/// column (KS, Wasserstein, PSI) depends only on its sorted present values, so sorting each
/// column once lets every later report on the window skip both the storage read and the sort.
extension WindowColumns {
  /// The same window with each column's numbers replaced by its present values in ascending
  /// order (row alignment of numbers is lost; outputs, labels and latencies keep theirs).
  /// Columns are sorted concurrently.
  func sortedForDrift() async -> WindowColumns {
    guard !sortedNumbers else { return self }
    var sorted = self
    let columns = numbers
    sorted.numbers = await withTaskGroup(of: (Int, [Double]).self) { group in
      for index in columns.indices {
        group.addTask { (index, Sorting.ascending(columns[index].filter { !$0.isNaN })) }
      }
      var result = [[Double]](repeating: [], count: columns.count)
      for await (index, values) in group { result[index] = values }
      return result
    }
    sorted.markSorted()
    return sorted
  }

  /// Roughly what the window occupies in memory, for the cache's budget.
  var approximateBytes: Int {
    let numberBytes = numbers.reduce(0) { $0 + $1.count * MemoryLayout<Double>.stride }
    let categoryBytes = categories.reduce(0) { $0 + $1.count * MemoryLayout<String?>.stride }
    let rowBytes = count * (2 * MemoryLayout<FieldValue>.stride + MemoryLayout<Double>.stride)
    return numberBytes + categoryBytes + rowBytes
  }
}
