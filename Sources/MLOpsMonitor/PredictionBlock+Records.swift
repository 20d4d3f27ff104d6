import Foundation

extension PredictionBlock {
  /// One monitor's records gathered column by column as they are validated: each value is
  /// looked up once, with no map of monitored values built per record.
  struct RecordBuilder {
    let monitor: MonitorDefinition
    private let columns: [MonitorDefinition.Column]
    private var numbers: [[Double]]
    private var values: [[FieldValue]]
    private var predictions: [Prediction] = []

    init(monitor: MonitorDefinition) {
      self.monitor = monitor
      columns = monitor.columns.filter { $0.role != .label }
      numbers = Array(repeating: [], count: columns.count)
      values = Array(repeating: [], count: columns.count)
    }

    /// Adds a record's monitored values, refusing what cannot be monitored (naming `field`).
    mutating func append(_ prediction: Prediction, field: @autoclosure () -> String) throws {
      for (index, column) in columns.enumerated() {
        let value = prediction.values[column.name]
        if let value { try MonitorEngine.check(value, column: column, field: field()) }
        if column.kind == .numerical { numbers[index].append(value?.number ?? .nan) } else { values[index].append(value ?? .missing) }
      }
      predictions.append(prediction)
    }

    /// Numerical columns as numbers, others value by value.
    func block() -> PredictionBlock {
      PredictionBlock(
        monitor: monitor.name, requestIDs: predictions.map(\.requestID), times: predictions.map(\.time),
        latencies: predictions.map(\.latencyMilliseconds), variants: predictions.map(\.variant),
        modelVersions: predictions.map(\.modelVersion),
        columns: columns.indices.map { index in
          (columns[index].name, columns[index].kind == .numerical ? .numbers(numbers[index]) : .values(values[index]))
        })
    }
  }
}
