/// What a monitor watches and how it judges it — the domain form of `mlops.monitor.v1.Monitor`,
/// stored as one JSON document.
public struct MonitorDefinition: Codable, Sendable, Equatable {
  public enum ColumnKind: Int, Codable, Sendable { case unspecified, numerical, categorical }
  public enum ColumnRole: Int, Codable, Sendable { case feature, prediction, label }
  public enum TestChoice: Int, Codable, Sendable { case auto, ks, psi, chiSquared, jensenShannon, wasserstein, zProportion }
  public enum Task: Int, Codable, Sendable { case unspecified, classification, regression }
  public enum Correction: Int, Codable, Sendable { case none, benjaminiHochberg }
  public enum ChartType: Int, Codable, Sendable { case shewhart, ewma, cusum }

  public struct Column: Codable, Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    public var role: ColumnRole
    public var test: TestChoice
    /// 0: the test's default.
    public var threshold: Double

    public init(name: String, kind: ColumnKind = .unspecified, role: ColumnRole = .feature, test: TestChoice = .auto, threshold: Double = 0)
    {
      (self.name, self.kind, self.role, self.test, self.threshold) = (name, kind, role, test, threshold)
    }
  }

  public struct Chart: Codable, Sendable, Equatable {
    public var metric: String
    public var type: ChartType
    public var baselineWindows: Int
    public var ewmaLambda: Double
    public var ewmaL: Double
    public var cusumK: Double
    public var cusumH: Double

    public init(
      metric: String, type: ChartType = .shewhart, baselineWindows: Int = 0, ewmaLambda: Double = 0, ewmaL: Double = 0, cusumK: Double = 0,
      cusumH: Double = 0
    ) {
      (self.metric, self.type, self.baselineWindows) = (metric, type, baselineWindows)
      (self.ewmaLambda, self.ewmaL, self.cusumK, self.cusumH) = (ewmaLambda, ewmaL, cusumK, cusumH)
    }
  }

  public enum Action: Codable, Sendable, Equatable {
    case webhook(url: String)
    case retrain(url: String, schedule: String)
    case rollback(routerAddress: String, deployment: String)

    /// The name an outcome is recorded under.
    public var name: String {
      switch self {
      case .webhook: "webhook"
      case .retrain: "retrain"
      case .rollback: "rollback"
      }
    }
  }

  public struct PerformanceThreshold: Codable, Sendable, Equatable {
    public var metric: String
    public var value: Double

    public init(metric: String, value: Double) {
      (self.metric, self.value) = (metric, value)
    }

    /// Error-like metrics alert above the value, the others below it.
    public var alertsAbove: Bool { metric == "rmse" || metric == "mae" }
  }

  public var name: String
  public var deployment: String = ""
  public var modelName: String = ""
  public var modelVersion: Int64 = 0
  public var modelAlias: String = ""
  public var columns: [Column] = []
  public var task: Task = .unspecified
  /// Close a window after this many predictions (0: no count limit)…
  public var windowSize: Int64 = 0
  /// …or this many milliseconds after its first prediction (0: no time limit).
  public var windowMilliseconds: Int64 = 0
  public var driftShare: Double = 0.5
  public var correction: Correction = .none
  public var charts: [Chart] = []
  public var actions: [Action] = []
  public var performanceThresholds: [PerformanceThreshold] = []
  public var cooldownMilliseconds: Int64 = 0
  /// The id of the stored reference profile, empty until SetReference.
  public var profileID: String = ""
  public var createdTime: Int64 = 0
  public var updatedTime: Int64 = 0

  public init(name: String) {
    self.name = name
  }

  /// The columns drift is computed on: features and predictions (labels arrive later).
  public var driftColumns: [Column] { columns.filter { $0.role != .label } }
  public var predictionColumn: Column? { columns.first { $0.role == .prediction } }
  public var hasReference: Bool { !profileID.isEmpty }
}
