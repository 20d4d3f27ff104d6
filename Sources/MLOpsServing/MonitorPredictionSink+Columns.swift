import MLOpsProto

/// Sampled predictions in the monitor's column form: a few packed lists decode and encode in a
/// fraction of the time of one map per record, on both sides of the call.
extension MonitorPredictionSink {
  /// The request for `batch`: its largest group of one deployment, variant and version whose
  /// every column is all numbers or all texts goes as columns, the rest as records.
  static func request(_ batch: [SampledPrediction]) -> Mlops_Monitor_V1_LogPredictionsRequest {
    var groups: [String: [Int]] = [:]
    for (index, record) in batch.enumerated() {
      groups["\(record.deployment)\u{0}\(record.variant)\u{0}\(record.modelVersion)", default: []].append(index)
    }
    var request = Mlops_Monitor_V1_LogPredictionsRequest()
    var columnar: Set<Int> = []
    for indices in groups.values.sorted(by: { $0.count > $1.count }) {
      if let columns = columns(indices.map { batch[$0] }) {
        request.columns = columns
        columnar = Set(indices)
        break
      }
    }
    request.records = batch.indices.filter { !columnar.contains($0) }.map { record(batch[$0]) }
    return request
  }

  /// One group as columns, or nil when a column mixes kinds or holds bools (sent as records,
  /// whose typed values the monitor reads as it always has).
  static func columns(_ group: [SampledPrediction]) -> Mlops_Monitor_V1_PredictionColumns? {
    guard let first = group.first else { return nil }
    var numbers: [String: [Double]] = [:]
    var texts: [String: [String]] = [:]
    var elementNames: [String: [String]] = [:]
    /// `X_0`, `X_1`… for a list input, spelled once per batch.
    func element(_ name: String, _ index: Int) -> String {
      var known = elementNames[name, default: []]
      while known.count <= index { known.append("\(name)_\(known.count)") }
      elementNames[name] = known
      return known[index]
    }
    func number(_ name: String, _ row: Int, _ value: Double) {
      numbers[name, default: Array(repeating: .nan, count: group.count)][row] = value
    }
    for (row, record) in group.enumerated() {
      for (name, cell) in record.features.merging(record.outputs, uniquingKeysWith: { feature, _ in feature }) {
        switch cell {
        case .int(let v): number(name, row, Double(v))
        case .double(let v): number(name, row, v)
        case .ints(let v): for (i, x) in v.enumerated() { number(element(name, i), row, Double(x)) }
        case .doubles(let v): for (i, x) in v.enumerated() { number(element(name, i), row, x) }
        case .string(let v): texts[name, default: Array(repeating: "", count: group.count)][row] = v
        case .null: continue
        default: return nil
        }
      }
    }
    guard Set(numbers.keys).isDisjoint(with: texts.keys) else { return nil }
    return .with {
      $0.requestIds = group.map(\.requestID)
      $0.timeUnixMs = group.map(\.time)
      $0.latencyMs = group.map(\.latencyMilliseconds)
      $0.deployment = first.deployment
      $0.variant = first.variant
      $0.modelVersion = first.modelVersion
      for (name, values) in numbers { $0.values[name] = .with { $0.numbers.values = values } }
      for (name, values) in texts { $0.values[name] = .with { $0.texts.values = values } }
    }
  }

  static func record(_ record: SampledPrediction) -> Mlops_Monitor_V1_PredictionRecord {
    .with {
      $0.requestID = record.requestID
      $0.deployment = record.deployment
      $0.variant = record.variant
      $0.modelName = record.modelName
      $0.modelVersion = record.modelVersion
      $0.time = .init(milliseconds: record.time)
      $0.latencyMs = record.latencyMilliseconds
      $0.features = RouterEngine.flattened(record.features).mapValues(Mlops_Common_V1_Value.init)
      $0.outputs = RouterEngine.flattened(record.outputs).mapValues(Mlops_Common_V1_Value.init)
    }
  }
}
