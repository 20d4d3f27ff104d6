/// A run's pieces gathered by position while several queries stream rows for a list of ids,
/// then assembled once: mutating a run held in a dictionary for every row cost more than the
/// queries themselves.
struct RunParts {
  var runs: [Run?]
  var params: [KeyedValues<String>]
  var tags: [KeyedValues<String>]
  var metrics: [KeyedValues<Metric>]
  var inputs: [[DatasetInput]]

  /// Parts for `count` runs whose rows are still to be read.
  init(count: Int) {
    runs = Array(repeating: nil, count: count)
    params = Array(repeating: KeyedValues(), count: count)
    tags = Array(repeating: KeyedValues(), count: count)
    metrics = Array(repeating: KeyedValues(), count: count)
    inputs = Array(repeating: [], count: count)
  }

  /// The runs that exist, in position order, each with its inputs in (name, digest) order.
  /// Consuming: each run moves out of the parts instead of being copied.
  consuming func assembled() -> [Run] {
    var result: [Run] = []
    result.reserveCapacity(runs.count)
    for i in runs.indices {
      guard var run = runs[i].take() else { continue }
      run.params = params[i]
      run.tags = tags[i]
      run.metrics = metrics[i]
      run.inputs = inputs[i].count > 1 ? inputs[i].sorted { ($0.name, $0.digest) < ($1.name, $1.digest) } : inputs[i]
      result.append(run)
    }
    return result
  }
}
