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

/// A closed window: the predictions of a monitor between two sequence numbers.
public struct WindowRecord: Sendable, Equatable {
  public var windowID: String
  public var monitor: String
  public var number: Int64
  public var firstSequence: Int64
  public var lastSequence: Int64
  public var rows: Int64
  public var startTime: Int64
  public var endTime: Int64
}

/// A raised alert and what its actions did — the domain form of `mlops.monitor.v1.Alert`.
public struct AlertRecord: Codable, Sendable, Equatable {
  public enum Kind: Int, Codable, Sendable { case unspecified, drift, controlChart, performance }
  public enum State: Int, Codable, Sendable { case open, acknowledged, resolved }

  public struct Outcome: Codable, Sendable, Equatable {
    public var action: String
    public var succeeded: Bool
    public var attempts: Int
    public var detail: String
    public var time: Int64
  }

  public var alertID: String
  public var monitor: String
  public var kind: Kind
  public var state: State
  public var message: String
  public var dedupKey: String
  public var reportID: String
  public var createdTime: Int64
  public var acknowledgedBy: String = ""
  public var comment: String = ""
  public var outcomes: [Outcome] = []
}

/// The window of a monitor still filling: predictions after sequence `after` up to
/// `watermark` (the last one counted), how many, and the first one's time.
public struct OpenWindow: Sendable, Equatable {
  public var after: Int64
  public var nextNumber: Int64
  public var watermark: Int64
  public var count: Int64
  public var firstTime: Int64
}
