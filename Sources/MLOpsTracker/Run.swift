/// MLflow's run states, same numbers as the wire enum.
public enum RunStatus: Int, Sendable, CaseIterable {
  case running = 1, scheduled = 2, finished = 3, failed = 4, killed = 5

  /// MLflow's names, used by the filter language (`attributes.status = 'FINISHED'`).
  public var name: String {
    switch self {
    case .running: "RUNNING"
    case .scheduled: "SCHEDULED"
    case .finished: "FINISHED"
    case .failed: "FAILED"
    case .killed: "KILLED"
    }
  }
}

/// One logged point of a metric. `value` may be NaN or ±inf, as in MLflow.
public struct Metric: Sendable, Equatable {
  public var key: String
  public var value: Double
  /// Milliseconds since the epoch.
  public var timestamp: Int64
  public var step: Int64

  public init(key: String, value: Double, timestamp: Int64, step: Int64) {
    self.key = key
    self.value = value
    self.timestamp = timestamp
    self.step = step
  }

  /// NaN-aware equality, so a logged NaN reads back equal to itself.
  public static func == (a: Metric, b: Metric) -> Bool {
    a.key == b.key && a.timestamp == b.timestamp && a.step == b.step
      && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
  }

  /// MLflow's "latest": the larger (step, timestamp, value) wins.
  func supersedes(_ other: Metric) -> Bool {
    (step, timestamp) != (other.step, other.timestamp)
      ? (step, timestamp) > (other.step, other.timestamp)
      : (value > other.value || other.value.isNaN && !value.isNaN)
  }
}

/// Where the code that produced a run came from: what reproduces it.
public struct RunSource: Sendable, Equatable {
  public var repository = ""
  public var commit = ""
  public var entryPoint = ""
  public var sourceType = ""
  public init(repository: String = "", commit: String = "", entryPoint: String = "", sourceType: String = "") {
    self.repository = repository
    self.commit = commit
    self.entryPoint = entryPoint
    self.sourceType = sourceType
  }
}

/// The software environment a run executed in.
public struct RunEnvironment: Sendable, Equatable {
  public var runtime = ""
  public var packagesDigest = ""
  public var packages: [String] = []
  public var platform = ""
  public init(runtime: String = "", packagesDigest: String = "", packages: [String] = [], platform: String = "") {
    self.runtime = runtime
    self.packagesDigest = packagesDigest
    self.packages = packages
    self.platform = platform
  }
}

/// A dataset a run consumed, with the role it played (MLflow's run inputs).
public struct DatasetInput: Sendable, Equatable {
  public var name: String
  public var digest: String
  public var sourceType: String
  public var source: String
  public var schema: String
  public var profile: String
  public var context: String
  public var tags: [String: String]

  public init(
    name: String, digest: String, sourceType: String = "", source: String = "", schema: String = "",
    profile: String = "", context: String = "", tags: [String: String] = [:]
  ) {
    self.name = name
    self.digest = digest
    self.sourceType = sourceType
    self.source = source
    self.schema = schema
    self.profile = profile
    self.context = context
    self.tags = tags
  }
}

/// A run's identity and state, without its logged data.
public struct RunInfo: Sendable, Equatable {
  public var id: String
  public var experimentID: Int64
  public var name: String
  public var status: RunStatus
  public var startTime: Int64
  public var endTime: Int64?
  public var lifecycle: Experiment.Lifecycle
  public var artifactURI: String
  public var userID: String
}

/// A run as GetRun returns it: info, latest metrics, params, tags, inputs, source, environment.
public struct Run: Sendable, Equatable {
  public var info: RunInfo
  /// Latest point of each metric, by key.
  public var metrics: KeyedValues<Metric>
  public var params: KeyedValues<String>
  public var tags: KeyedValues<String>
  public var inputs: [DatasetInput]
  public var source: RunSource
  public var environment: RunEnvironment
}

/// What CreateRun stores. The repository checks the experiment and derives the artifact URI
/// from its location and the run id inside the transaction that inserts the run, so an
/// experiment deleted meanwhile cannot gain a run, and CreateRun reads nothing beforehand.
public struct NewRun: Sendable {
  public var id: String
  public var experimentID: Int64
  public var name: String
  public var startTime: Int64
  public var tags: [String: String]
  public var source: RunSource
  public var environment: RunEnvironment
  public var userID: String

  public init(
    id: String, experimentID: Int64, name: String, startTime: Int64,
    tags: [String: String] = [:], source: RunSource = .init(), environment: RunEnvironment = .init(), userID: String = ""
  ) {
    self.id = id
    self.experimentID = experimentID
    self.name = name
    self.startTime = startTime
    self.tags = tags
    self.source = source
    self.environment = environment
    self.userID = userID
  }

  /// The experiment's artifact location, given the experiment as stored (nil when it does not
  /// exist), or CreateRun's error about it; both repositories call it inside their insert's
  /// transaction.
  static func artifactLocation(experiment id: Int64, found: (stage: Int, location: String)?) throws -> String {
    guard let found else { throw TrackerError.experimentNotFound("with id \(id)") }
    guard found.stage == Experiment.Lifecycle.active.rawValue else {
      throw TrackerError.failedPrecondition("experiment_id: experiment \(id) is deleted")
    }
    return found.location
  }
}

/// One atomic logging call: LogBatch, or a single LogMetric/LogParam/SetTag.
public struct LogBatch: Sendable {
  public var metrics: [Metric]
  public var params: [(key: String, value: String)]
  public var tags: [(key: String, value: String)]

  public init(metrics: [Metric] = [], params: [(key: String, value: String)] = [], tags: [(key: String, value: String)] = []) {
    self.metrics = metrics
    self.params = params
    self.tags = tags
  }

  /// The latest point per key within this batch, to merge with the stored latest values.
  var latestByKey: [String: Metric] {
    var latest: [String: Metric] = [:]
    for metric in metrics where latest[metric.key].map({ metric.supersedes($0) }) ?? true {
      latest[metric.key] = metric
    }
    return latest
  }
}

/// Where a metric-history page ends, so the next page starts right after it.
public struct MetricCursor: Sendable, Equatable {
  public var step: Int64
  public var timestamp: Int64
  public var sequence: Int64

  public init(step: Int64, timestamp: Int64, sequence: Int64) {
    self.step = step
    self.timestamp = timestamp
    self.sequence = sequence
  }
}

/// One stored metric point with its position in the history.
public struct MetricPoint: Sendable, Equatable {
  public var metric: Metric
  public var sequence: Int64
}
