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

  /// Columns are tested concurrently (each test is independent and a window can hold a
  /// million rows per column).
  /// - Parameter strict: a column that cannot be tested as asked (e.g. a categorical test on
  ///   a reference that turned out numerical) fails the call — what an ad hoc ComputeDrift
  ///   wants — instead of being left out of the report, as a background window's is.
  /// - Throws: ``MonitorError/failedPrecondition(field:reason:)`` for such a column when strict.
  static func run(
    monitor: MonitorDefinition, profile: ReferenceProfile, current: WindowColumns,
    overrides: [String: MonitorDefinition.TestChoice] = [:], strict: Bool = true
  ) async throws -> Outcome {
    let specs = monitor.driftColumns.filter { profile.columns[$0.name] != nil }
    var columns = try await withThrowingTaskGroup(of: (Int, DriftResult.ColumnResult?).self) { group in
      for (index, spec) in specs.enumerated() {
        group.addTask {
          do {
            return (index, try column(spec, profile: profile, current: current, test: overrides[spec.name] ?? spec.test))
          } catch is MonitorError where !strict {
            return (index, nil)
          }
        }
      }
      var results = [DriftResult.ColumnResult?](repeating: nil, count: specs.count)
      for try await (index, result) in group { results[index] = result }
      return results.compactMap { $0 }
    }
    if monitor.correction == .benjaminiHochberg { correct(&columns) }
    let drifted = columns.count(where: \.drifted)
    let share = columns.isEmpty ? 0 : Double(drifted) / Double(columns.count)
    return Outcome(columns: columns, driftedShare: share, datasetDrift: !columns.isEmpty && share >= monitor.driftShare)
  }

  /// One column's test; nil when either side has no values.
  static func column(
    _ spec: MonitorDefinition.Column, profile: ReferenceProfile, current: WindowColumns, test choice: MonitorDefinition.TestChoice
  ) throws -> DriftResult.ColumnResult? {
    guard let reference = profile.statisticsColumn(spec.name), !reference.isEmpty else { return nil }
    let values: DriftReport.Column =
      switch reference {
      case .numeric: .numeric(current.presentNumbers(spec.name))
      default: .categorical(current.presentCategories(spec.name))
      }
    guard !values.isEmpty else { return nil }
    do {
      let drift = try DriftReport.drift(
        spec.name, reference, values, test: tests[choice], threshold: spec.threshold > 0 ? spec.threshold : nil,
        referenceScale: profile.standardDeviations[spec.name], presorted: current.sortedNumbers)
      return .init(
        column: spec.name, test: Self.choice(drift.test), statistic: drift.statistic, pValue: drift.pValue,
        threshold: drift.threshold, drifted: drift.drifted)
    } catch let refusal as DriftReport.Refusal {
      throw MonitorError.failedPrecondition(field: "tests[\(spec.name)]", reason: refusal.reason)
    }
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
