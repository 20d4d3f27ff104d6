/// A run's pieces gathered by position while several queries stream rows for a list of ids,
/// then assembled once: mutating a run held in a dictionary for every row cost more than the
/// queries themselves.
struct RunParts {
  var runs: [Run?]
  var params: [[String: String]]
  var tags: [[String: String]]
  var metrics: [[String: Metric]]
  var inputs: [[DatasetInput]]

  init(count: Int) {
    runs = Array(repeating: nil, count: count)
    params = Array(repeating: [:], count: count)
    tags = Array(repeating: [:], count: count)
    metrics = Array(repeating: [:], count: count)
    inputs = Array(repeating: [], count: count)
  }

  /// The runs that exist, by id, each with its inputs in (name, digest) order.
  func assembled(ids: [String]) -> [String: Run] {
    var result: [String: Run] = [:]
    result.reserveCapacity(ids.count)
    for (i, found) in runs.enumerated() {
      guard var run = found else { continue }
      run.params = params[i]
      run.tags = tags[i]
      run.metrics = metrics[i]
      run.inputs = inputs[i].count > 1 ? inputs[i].sorted { ($0.name, $0.digest) < ($1.name, $1.digest) } : inputs[i]
      result[ids[i]] = run
    }
    return result
  }
}
