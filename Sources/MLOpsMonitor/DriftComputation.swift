import MLOpsStatistics

/// Drift of current rows against a reference profile, column by column as the monitor
/// defines it, with the monitor's multiple-testing correction and dataset-drift share.
enum DriftComputation {
  struct Outcome {
    var columns: [DriftResult.ColumnResult]
    var driftedShare: Double
    var datasetDrift: Bool
  }

  static let tests: [MonitorDefinition.TestChoice: DriftReport.Test] = [
    .ks: .ks, .psi: .psi, .chiSquared: .chisquare, .jensenShannon: .jensenshannon, .wasserstein: .wasserstein, .zProportion: .ztest,
  ]

  static func choice(_ test: DriftReport.Test) -> MonitorDefinition.TestChoice {
    tests.first { $0.value == test }?.key ?? .auto
  }

  /// - Throws: ``MonitorError/failedPrecondition(field:reason:)`` when a column cannot be
  ///   tested as asked (e.g. a categorical test on a numerical reference).
  static func run(
    monitor: MonitorDefinition, profile: ReferenceProfile, current: [[String: FieldValue]],
    overrides: [String: MonitorDefinition.TestChoice] = [:]
  ) throws -> Outcome {
    var columns: [DriftResult.ColumnResult] = []
    for column in monitor.driftColumns {
      guard let reference = profile.statisticsColumn(column.name) else { continue }
      let values = current.compactMap { $0[column.name] }
      let currentColumn: DriftReport.Column =
        switch reference {
        case .numeric: .numeric(values.compactMap(\.number))
        default: .categorical(values.compactMap(\.category))
        }
      guard !currentColumn.isEmpty, !reference.isEmpty else { continue }
      let choice = overrides[column.name] ?? column.test
      do {
        let drift = try DriftReport.drift(
          column.name, reference, currentColumn, test: tests[choice], threshold: column.threshold > 0 ? column.threshold : nil)
        columns.append(.init(
          column: column.name, test: Self.choice(drift.test), statistic: drift.statistic, pValue: drift.pValue,
          threshold: drift.threshold, drifted: drift.drifted))
      } catch let refusal as DriftReport.Refusal {
        throw MonitorError.failedPrecondition(field: "tests[\(column.name)]", reason: refusal.reason)
      }
    }
    if monitor.correction == .benjaminiHochberg { correct(&columns) }
    let drifted = columns.count(where: \.drifted)
    let share = columns.isEmpty ? 0 : Double(drifted) / Double(columns.count)
    return Outcome(columns: columns, driftedShare: share, datasetDrift: !columns.isEmpty && share >= monitor.driftShare)
  }

  /// Replaces the p-values by Benjamini–Hochberg adjusted ones and re-judges those columns.
  static func correct(_ columns: inout [DriftResult.ColumnResult]) {
    let tested = columns.indices.filter { columns[$0].pValue != nil }
    let adjusted = SampleTests.benjaminiHochberg(tested.map { columns[$0].pValue! })
    for (index, p) in zip(tested, adjusted) {
      columns[index].pValue = p
      columns[index].drifted = p < columns[index].threshold
    }
  }
}

extension DriftReport.Column {
  var isEmpty: Bool {
    switch self {
    case .numeric(let values): values.isEmpty
    case .categorical(let labels): labels.isEmpty
    case .counts(let counts): counts.isEmpty
    }
  }
}
