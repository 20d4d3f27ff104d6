import MLOpsRuntime

/// A model's outputs cut back into one row per instance: a tensor output gives each row its
/// value (a scalar when the row holds one, else a list); class-probability maps give each
/// row `name.label` → probability.
enum PredictionOutputs {
  static func rows(_ outputs: [String: Value], order: [ValueSpec], count: Int) -> [[String: Cell]] {
    var rows = Array(repeating: [String: Cell](), count: count)
    for spec in order {
      guard let value = outputs[spec.name] else { continue }
      switch value {
      case .maps(let maps):
        let width = maps.labels.count
        for row in 0..<min(count, maps.rowCount) {
          for label in 0..<width {
            rows[row]["\(spec.name).\(maps.labels.text(at: label))"] = .double(Double(maps.probabilities[row * width + label]))
          }
        }
      case .tensor(let tensor):
        let per = max(tensor.shape.dropFirst().reduce(1, *), 1)
        let scalar = tensor.rank <= 1 || per == 1
        for row in 0..<min(count, tensor.data.count / per) {
          rows[row][spec.name] = cell(tensor.data, range: row * per..<(row + 1) * per, scalar: scalar)
        }
      }
    }
    return rows
  }

  private static func cell(_ data: TensorData, range: Range<Int>, scalar: Bool) -> Cell {
    switch data {
    case .float(let v): scalar ? .double(Double(v[range.lowerBound])) : .doubles(v[range].map(Double.init))
    case .double(let v): scalar ? .double(v[range.lowerBound]) : .doubles(Array(v[range]))
    case .int64(let v): scalar ? .int(v[range.lowerBound]) : .ints(Array(v[range]))
    case .string(let v): scalar ? .string(v[range.lowerBound]) : .strings(Array(v[range]))
    case .bool(let v): scalar ? .bool(v[range.lowerBound]) : .bools(Array(v[range]))
    }
  }
}
