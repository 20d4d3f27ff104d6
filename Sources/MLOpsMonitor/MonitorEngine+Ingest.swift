import Foundation

/// References, predictions and labels coming in.
extension MonitorEngine {
  /// A builder for `monitor`'s reference rows (its columns, its kinds).
  public func referenceBuilder(monitor name: String) async throws -> ProfileBuilder {
    ProfileBuilder(columns: try await monitor(name, field: "header.monitor").columns)
  }

  /// Stores the built profile as the monitor's reference.
  public func setReference(monitor name: String, builder: ProfileBuilder) async throws -> (rows: Int64, profileID: String) {
    guard builder.rows > 0 else { throw MonitorError.invalidArgument(field: "rows", reason: "the reference has no rows") }
    let id = UUID().uuidString.lowercased()
    _ = try await store.setReference(monitor: name, profileID: id, profile: builder.profile(), time: clock())
    return (builder.rows, id)
  }

  /// Points `monitor` at an already stored profile.
  public func reuseReference(monitor name: String, profileID: String) async throws -> (rows: Int64, profileID: String) {
    let profile = try await profiles.profile(profileID, store: store)
    let target = try await monitor(name, field: "header.monitor")
    let now = clock()
    _ = try await store.modify(target.name) {
      $0.profileID = profileID
      $0.updatedTime = now
    }
    return (profile.rows, profileID)
  }

  /// Validates and encodes predictions for `monitor`, or for every monitor watching each
  /// record's deployment when it is empty, without storing them: ``commit(_:)`` stores them
  /// and closes the windows they fill. One bad record rejects the batch. Split so a stream
  /// can prepare one message while the previous one commits.
  public func prepare(monitor name: String, _ records: [Prediction]) async throws -> PreparedPredictions {
    guard records.count <= Self.maxBatch else { throw MonitorError.tooManyRecords(field: "records", limit: Self.maxBatch) }
    let named = name.isEmpty ? nil : try await monitor(name)
    var watchers: [String: [MonitorDefinition]] = [:]
    var builders: [PredictionBlock.RecordBuilder] = []
    var position: [String: Int] = [:]
    var accepted = 0
    let now = clock()
    for (index, record) in records.enumerated() {
      guard !record.requestID.isEmpty else {
        throw MonitorError.invalidArgument(field: "records[\(index)].request_id", reason: "must not be empty")
      }
      let targets: [MonitorDefinition]
      if let named {
        targets = [named]
      } else {
        guard !record.deployment.isEmpty else {
          throw MonitorError.invalidArgument(field: "records[\(index)].deployment", reason: "name the deployment, or the monitor")
        }
        if watchers[record.deployment] == nil {
          watchers[record.deployment] = try await store.monitors(deployment: record.deployment, after: "", limit: 1000)
        }
        targets = watchers[record.deployment]!
      }
      var prediction = record
      prediction.time = record.time == 0 ? now : record.time
      for monitor in targets {
        if position[monitor.name] == nil {
          position[monitor.name] = builders.count
          builders.append(PredictionBlock.RecordBuilder(monitor: monitor))
        }
        try builders[position[monitor.name]!].append(prediction, field: "records[\(index)]")
      }
      if !targets.isEmpty { accepted += 1 }
    }
    return PreparedPredictions(blocks: builders.map { $0.block() }, monitors: builders.map(\.monitor), accepted: accepted)
  }

  /// Stores prepared predictions in one transaction, then closes the windows they fill.
  public func commit(_ prepared: PreparedPredictions) async throws -> Int {
    try await store.append(prepared.blocks)
    await closeFullWindows(prepared.monitors)
    return prepared.accepted
  }

  /// Validates and encodes a column batch like the record form of `prepare`, each monitor's
  /// block straight from the columns, without a map per record.
  public func prepare(monitor name: String, _ batch: PredictionBatch) async throws -> PreparedPredictions {
    guard batch.count <= Self.maxBatch * 10 else {
      throw MonitorError.tooManyRecords(field: "columns.request_ids", limit: Self.maxBatch * 10)
    }
    try batch.validate()
    guard batch.count > 0 else { return PreparedPredictions(blocks: [], monitors: [], accepted: 0) }
    let targets: [MonitorDefinition]
    if name.isEmpty {
      guard !batch.deployment.isEmpty else {
        throw MonitorError.invalidArgument(field: "columns.deployment", reason: "name the deployment, or the monitor")
      }
      targets = try await store.monitors(deployment: batch.deployment, after: "", limit: 1000)
    } else {
      targets = [try await monitor(name)]
    }
    let now = clock()
    let times = batch.times.isEmpty ? Array(repeating: now, count: batch.count) : batch.times.map { $0 == 0 ? now : $0 }
    let latencies = batch.latencies.isEmpty ? Array(repeating: 0, count: batch.count) : batch.latencies
    let blocks = try targets.map { monitor in
      let columns = try Self.monitoredColumns(batch, monitor: monitor).map { name, values in
        switch values {
        case .numbers(let numbers): (name: name, values: PredictionBlock.Column.numbers(numbers))
        case .texts(let texts): (name: name, values: PredictionBlock.Column.values(texts.map { $0.isEmpty ? .missing : .text($0) }))
        }
      }
      return PredictionBlock(
        monitor: monitor.name, requestIDs: batch.requestIDs, times: times, latencies: latencies,
        variants: Array(repeating: batch.variant, count: batch.count),
        modelVersions: Array(repeating: batch.modelVersion, count: batch.count),
        columns: columns)
    }
    return PreparedPredictions(blocks: blocks, monitors: targets, accepted: targets.isEmpty ? 0 : batch.count)
  }

  /// The batch's columns this monitor watches, refusing texts in a numerical column.
  static func monitoredColumns(_ batch: PredictionBatch, monitor: MonitorDefinition) throws -> [(String, PredictionBatch.Column)] {
    try monitor.columns.filter { $0.role != .label }.compactMap { column in
      guard let values = batch.columns[column.name] else { return nil }
      if column.kind == .numerical, case .texts = values {
        throw MonitorError.invalidArgument(field: "columns.values[\(column.name)]", reason: "column '\(column.name)' is numerical")
      }
      return (column.name, values)
    }
  }

  /// Closes the windows the stored predictions filled. The predictions are stored and
  /// acknowledged whatever happens here: a failure is logged and the window is closed by the
  /// next call or tick, which read the open window back from storage.
  func closeFullWindows(_ monitors: [MonitorDefinition]) async {
    for monitor in monitors {
      do { try await closeFullWindows(monitor) } catch {
        logger.error("closing windows failed", metadata: ["monitor": "\(monitor.name)", "error": "\(error)"])
      }
    }
  }

  static func check(_ value: FieldValue, column: MonitorDefinition.Column, field: @autoclosure () -> String) throws {
    if case .unsupported(let type) = value {
      throw MonitorError.invalidArgument(field: "\(field()).features[\(column.name)]", reason: "a \(type) cannot be monitored")
    }
    if column.kind == .numerical, case .text = value {
      throw MonitorError.invalidArgument(field: "\(field()).features[\(column.name)]", reason: "column '\(column.name)' is numerical")
    }
  }

  /// Keeps only the monitored columns of ad hoc ComputeDrift rows, refusing text in a
  /// numerical one and infinities (a comparison asked for now, not a stored record).
  static func monitored(_ values: [String: FieldValue], monitor: MonitorDefinition, field: String) throws -> [String: FieldValue] {
    var kept: [String: FieldValue] = [:]
    for column in monitor.columns where column.role != .label {
      guard let value = values[column.name] else { continue }
      try check(value, column: column, field: field)
      if case .number(let number) = value, number.isInfinite {
        throw MonitorError.invalidArgument(field: "\(field).features[\(column.name)]", reason: "must be finite, not \(number)")
      }
      kept[column.name] = value
    }
    return kept
  }

  /// Stores labels and answers (matched, unmatched).
  public func logLabels(monitor name: String, _ labels: [(requestID: String, label: FieldValue, time: Int64)]) async throws -> (Int, Int) {
    guard labels.count <= Self.maxBatch else { throw MonitorError.tooManyRecords(field: "labels", limit: Self.maxBatch) }
    let monitor = try await monitor(name)
    for (index, label) in labels.enumerated() {
      guard !label.requestID.isEmpty else {
        throw MonitorError.invalidArgument(field: "labels[\(index)].request_id", reason: "must not be empty")
      }
      guard label.label != .missing else {
        throw MonitorError.invalidArgument(field: "labels[\(index)].label", reason: "must hold a value")
      }
    }
    let now = clock()
    let matched = try await store.label(monitor: monitor.name, labels.map { ($0.requestID, $0.label, $0.time == 0 ? now : $0.time) })
    // Labels usually arrive after their window closed: its performance is computed again.
    if matched > 0, monitor.predictionColumn != nil {
      let windows = try await store.windows(monitor: monitor.name, requestIDs: labels.map(\.requestID))
      await windowCache.invalidate(monitor: monitor.name, windows: windows.map(\.windowID))
      for window in windows { relabeledSink.yield(window) }
    }
    return (matched, labels.count - matched)
  }
}

/// Predictions validated and encoded, ready to store: what ``MonitorEngine/commit(_:)`` takes.
public struct PreparedPredictions: Sendable {
  let blocks: [PredictionBlock]
  /// The monitors the rows are for, as prepared: their windows close after the commit.
  let monitors: [MonitorDefinition]
  let accepted: Int

  /// Another message's predictions appended, to store both in one transaction.
  func merged(with other: PreparedPredictions) -> PreparedPredictions {
    let names = Set(monitors.map(\.name))
    return PreparedPredictions(
      blocks: blocks + other.blocks, monitors: monitors + other.monitors.filter { !names.contains($0.name) },
      accepted: accepted + other.accepted)
  }
}
