/// Predictions of one deployment column by column — the domain form of
/// `mlops.monitor.v1.PredictionColumns`. Stored without building a map per record, which is
/// what makes high ingest rates possible.
public struct PredictionBatch: Sendable {
  public enum Column: Sendable {
    /// NaN: missing.
    case numbers([Double])
    /// Empty: missing.
    case texts([String])

    var count: Int {
      switch self {
      case .numbers(let values): values.count
      case .texts(let values): values.count
      }
    }

    func value(at row: Int) -> FieldValue {
      switch self {
      case .numbers(let values): values[row].isNaN ? .missing : .number(values[row])
      case .texts(let values): values[row].isEmpty ? .missing : .text(values[row])
      }
    }
  }

  public var requestIDs: [String]
  /// Epoch milliseconds; empty, or 0 for a record: the time of the call.
  public var times: [Int64]
  public var latencies: [Double]
  public var deployment: String
  public var variant: String
  public var modelVersion: Int64
  public var columns: [String: Column]

  public init(
    requestIDs: [String], times: [Int64] = [], latencies: [Double] = [], deployment: String = "", variant: String = "",
    modelVersion: Int64 = 0, columns: [String: Column]
  ) {
    (self.requestIDs, self.times, self.latencies) = (requestIDs, times, latencies)
    (self.deployment, self.variant, self.modelVersion, self.columns) = (deployment, variant, modelVersion, columns)
  }

  public var count: Int { requestIDs.count }

  /// Every list has one entry per record; no request id is empty.
  func validate() throws {
    guard times.isEmpty || times.count == count else { throw length("columns.time_unix_ms") }
    guard latencies.isEmpty || latencies.count == count else { throw length("columns.latency_ms") }
    for (name, column) in columns where column.count != count { throw length("columns.values[\(name)]") }
    if let empty = requestIDs.firstIndex(where: \.isEmpty) {
      throw MonitorError.invalidArgument(field: "columns.request_ids[\(empty)]", reason: "must not be empty")
    }
  }

  private func length(_ field: String) -> MonitorError {
    .invalidArgument(field: field, reason: "must hold one entry per request id (\(count))")
  }
}
