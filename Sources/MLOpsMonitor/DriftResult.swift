/// One drift evaluation: of a closed window, or ad hoc of rows in a request — the domain form
/// of `mlops.monitor.v1.DriftReport`.
public struct DriftResult: Codable, Sendable, Equatable {
  public struct ColumnResult: Codable, Sendable, Equatable {
    public var column: String
    public var test: MonitorDefinition.TestChoice
    public var statistic: Double
    public var pValue: Double?
    public var threshold: Double
    public var drifted: Bool
  }

  public var reportID: String
  public var monitor: String
  public var windowID: String
  public var windowStart: Int64
  public var windowEnd: Int64
  public var rows: Int64
  public var columns: [ColumnResult]
  public var datasetDrift: Bool
  public var driftedShare: Double
  /// Accuracy, F1, ROC AUC… or RMSE, MAE, from the labels present when computed.
  public var performance: [String: Double]
  /// Every per-window metric a control chart can follow (`mean_prediction`, `drift.<column>`…).
  public var metrics: [String: Double]
  public var computedTime: Int64
}
