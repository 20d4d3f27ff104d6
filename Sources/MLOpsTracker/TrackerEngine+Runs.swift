import Foundation

/// Runs and logging: MLflow's validation rules and limits, then one repository call.
extension TrackerEngine {
  public func createRun(
    experimentID: String, name: String, startTime: Int64?, tags: [(String, String)], source: RunSource,
    environment: RunEnvironment, userID: String
  ) async throws -> Run {
    let experimentNumber = try Self.experimentNumber(experimentID)
    var tags = try Self.validateTags(tags, field: "tags")
    guard name.count <= Limits.tagValue else {
      throw TrackerError.invalidArgument(field: "run_name", reason: "is longer than \(Limits.tagValue) characters")
    }
    let id = Self.newRunID()
    let runName = try Self.runName(name, tag: tags[Self.runNameTag], id: id)
    tags[Self.runNameTag] = runName
    return try await runs.create(
      NewRun(
        id: id, experimentID: experimentNumber, name: runName, startTime: startTime ?? clock(), tags: tags, source: source,
        environment: environment, userID: userID))
  }

  /// The tag MLflow keeps the run name in as well: clients read it from either place, and
  /// setting it renames the run.
  public static let runNameTag = "mlflow.runName"

  /// The name a new run gets, as MLflow chooses it: `run_name`, else its `mlflow.runName` tag,
  /// else one made from the id; both given and different is refused.
  static func runName(_ name: String, tag: String?, id: String) throws -> String {
    if let tag, !name.isEmpty, tag != name {
      throw TrackerError.invalidArgument(
        field: "run_name", reason: "'\(name)' differs from the \(runNameTag) tag '\(tag)'; give one name or the same in both")
    }
    if !name.isEmpty { return name }
    if let tag, !tag.isEmpty { return tag }
    return "run-" + id.prefix(8)
  }

  /// 32 lowercase hex digits of a random UUID, as MLflow's run ids; written directly, since
  /// Foundation's string replacing was a visible share of CreateRun.
  static func newRunID() -> String {
    let digits = Array("0123456789abcdef".utf8)
    let bytes = withUnsafeBytes(of: UUID().uuid) { Array($0) }
    return String(unsafeUninitializedCapacity: 32) { buffer in
      for (index, byte) in bytes.enumerated() {
        buffer[2 * index] = digits[Int(byte >> 4)]
        buffer[2 * index + 1] = digits[Int(byte & 0x0f)]
      }
      return 32
    }
  }

  public func run(id: String) async throws -> Run {
    try Self.validateRunID(id)
    guard let run = try await runs.run(id: id) else { throw TrackerError.runNotFound(id) }
    return run
  }

  public func updateRun(id: String, status: RunStatus?, endTime: Int64?, name: String?) async throws -> RunInfo {
    try Self.validateRunID(id)
    guard status != nil || endTime != nil || name != nil else {
      throw TrackerError.invalidArgument(field: "status", reason: "is unspecified and there is nothing else to change")
    }
    return try await runs.update(id: id, status: status, endTime: endTime, name: name)
  }

  public func deleteRun(id: String) async throws {
    try Self.validateRunID(id)
    try await runs.setLifecycle(id: id, .deleted)
  }

  public func restoreRun(id: String) async throws {
    let run = try await run(id: id)
    guard try await experiments.experiment(id: run.info.experimentID)?.lifecycle == .active else {
      throw TrackerError.failedPrecondition("run_id: the experiment of run \(id) is deleted; restore it first")
    }
    try await runs.setLifecycle(id: id, .active)
  }

  /// LogBatch and the single-item logging calls: everything is validated before anything is
  /// written, and the repository writes it in one transaction.
  public func log(runID: String, metrics: [Metric], params: [(String, String)], tags: [(String, String)]) async throws {
    try Self.validateRunID(runID)
    guard metrics.count <= Limits.metricsPerBatch else {
      throw TrackerError.invalidArgument(field: "metrics", reason: "\(metrics.count) metrics, at most \(Limits.metricsPerBatch) allowed")
    }
    guard params.count <= Limits.paramsPerBatch else {
      throw TrackerError.invalidArgument(field: "params", reason: "\(params.count) params, at most \(Limits.paramsPerBatch) allowed")
    }
    guard metrics.count + params.count + tags.count <= Limits.entriesPerBatch else {
      throw TrackerError.invalidArgument(field: "metrics", reason: "more than \(Limits.entriesPerBatch) entries in one batch")
    }
    for (index, metric) in metrics.enumerated() { try Self.validateKey(metric.key, field: "metrics[\(index)].key") }
    var seenParams: [String: String] = [:]
    for (index, (key, value)) in params.enumerated() {
      try Self.validateKey(key, field: "params[\(index)].key")
      guard value.count <= Limits.paramValue else {
        throw TrackerError.invalidArgument(field: "params[\(index)].value", reason: "is longer than \(Limits.paramValue) characters")
      }
      if let earlier = seenParams[key], earlier != value {
        throw TrackerError.invalidArgument(field: "params[\(index)].value", reason: "param '\(key)' appears twice with different values")
      }
      seenParams[key] = value
    }
    let tags = try Self.validateTags(tags, field: "tags")
    try await runs.log(
      runID: runID,
      LogBatch(
        metrics: metrics, params: params.map { (key: $0.0, value: $0.1) },
        tags: tags.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }))
  }

  public func deleteTag(runID: String, key: String) async throws {
    try Self.validateRunID(runID)
    try Self.validateKey(key, field: "key")
    try await runs.deleteTag(runID: runID, key: key)
  }

  public func logInputs(runID: String, _ inputs: [DatasetInput]) async throws {
    try Self.validateRunID(runID)
    for (index, input) in inputs.enumerated() {
      guard !input.name.isEmpty else {
        throw TrackerError.invalidArgument(field: "datasets[\(index)].dataset.name", reason: "must not be empty")
      }
      guard !input.digest.isEmpty else {
        throw TrackerError.invalidArgument(field: "datasets[\(index)].dataset.digest", reason: "must not be empty")
      }
      _ = try Self.validateTags(input.tags.map { ($0.key, $0.value) }, field: "datasets[\(index)].tags")
    }
    try await runs.logInputs(runID: runID, inputs)
  }

  /// One page of a metric's history and the token of the next page ("" at the end).
  public func metricHistory(runID: String, key: String, maxResults: Int, pageToken: String) async throws -> ([Metric], String) {
    try Self.validateRunID(runID)
    try Self.validateKey(key, field: "metric_key")
    guard maxResults >= 0 else { throw TrackerError.invalidArgument(field: "max_results", reason: "must not be negative") }
    let limit = min(maxResults == 0 ? Limits.metricHistoryPage : maxResults, Limits.metricHistoryPage)
    let cursor = try pageToken.isEmpty ? nil : Self.decodeCursor(pageToken)
    _ = try await run(id: runID)
    let points = try await runs.metricHistory(runID: runID, key: key, after: cursor, limit: limit)
    let next =
      points.count == limit
      ? points.last.map { Self.encodeCursor(MetricCursor(step: $0.metric.step, timestamp: $0.metric.timestamp, sequence: $0.sequence)) }
      : nil
    return (points.map(\.metric), next ?? "")
  }

  static func encodeCursor(_ c: MetricCursor) -> String {
    Data("\(c.step):\(c.timestamp):\(c.sequence)".utf8).base64EncodedString()
  }

  static func decodeCursor(_ token: String) throws -> MetricCursor {
    let parts = Data(base64Encoded: token).map { String(decoding: $0, as: UTF8.self).split(separator: ":").compactMap { Int64($0) } } ?? []
    guard parts.count == 3 else { throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this tracker issued") }
    return MetricCursor(step: parts[0], timestamp: parts[1], sequence: parts[2])
  }

  static func validateRunID(_ id: String) throws {
    guard !id.isEmpty else { throw TrackerError.invalidArgument(field: "run_id", reason: "must not be empty") }
    guard id.count <= 256 else { throw TrackerError.invalidArgument(field: "run_id", reason: "is longer than 256 characters") }
  }

  /// MLflow's key rule: 1–250 of letters, digits, `_ - . /` and space, not an absolute path and
  /// without `..` segments (keys become file paths in MLflow's file store). The field is built
  /// only for an error: a batch names each of its 1,000 metrics' fields.
  static func validateKey(_ key: String, field: @autoclosure () -> String) throws {
    guard !key.isEmpty else { throw TrackerError.invalidArgument(field: field(), reason: "must not be empty") }
    // Characters never outnumber UTF-8 bytes, so counting characters is needed only past the limit.
    guard key.utf8.count <= Limits.tagKey || key.count <= Limits.tagKey else {
      throw TrackerError.invalidArgument(field: field(), reason: "is longer than \(Limits.tagKey) characters")
    }
    guard isAllowedKey(key), key.utf8.first != UInt8(ascii: "/"), !hasParentSegment(key) else {
      throw TrackerError.invalidArgument(
        field: field(), reason: "'\(key)' may only contain letters, digits, _ - . / and spaces, and must be a relative path")
    }
  }

  /// ASCII keys (nearly all) are checked byte by byte in one pass; a key with other characters
  /// by Unicode category, as MLflow's `\w` does (its ASCII letters and digits are the same).
  static func isAllowedKey(_ key: String) -> Bool {
    for byte in key.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): continue
      case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: " "): continue
      case 0x80...: return key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-. /".unicodeScalars.contains($0) }
      default: return false
      }
    }
    return true
  }

  /// Whether a `/`-separated segment is exactly `..`; keys without two dots in a row skip the split.
  static func hasParentSegment(_ key: String) -> Bool {
    let dot = UInt8(ascii: ".")
    guard zip(key.utf8, key.utf8.dropFirst()).contains(where: { $0 == dot && $1 == dot }) else { return false }
    return key.split(separator: "/").contains("..")
  }
}
