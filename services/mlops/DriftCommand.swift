import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsRuntime
import MLOpsStatistics

/// `mlops drift reference.csv current.csv`: a per-column drift report without any server.
struct DriftCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "drift", abstract: "Compare two CSV files column by column and report drift.",
    discussion: """
      Each column gets Evidently's default test unless --test forces one: numeric columns KS \
      (up to 1,000 rows, p < 0.05) or normalised Wasserstein (≥ 0.1); categorical columns \
      chi-squared or, for two values, a z-test (up to 1,000 rows, p < 0.05), else Jensen–Shannon \
      (≥ 0.1). The dataset drifts when at least --drift-share of its columns do.
      """)

  @Argument(help: "Reference CSV (header row).") var reference: String
  @Argument(help: "Current CSV with the same columns.") var current: String
  @Option(help: "Force one test: \(DriftReport.Test.allCases.map(\.rawValue).joined(separator: ", ")).") var test: DriftReport.Test?
  @Option(help: "Override the test's threshold.") var threshold: Double?
  @Option(name: .customLong("drift-share"), help: "Share of drifted columns that makes the dataset drift.") var driftShare: Double = 0.5
  @Flag(help: "Print JSON instead of a table.") var json = false

  func run() async throws {
    let referenceColumns = try Self.columns(reference)
    let currentColumns = Dictionary(try Self.columns(current).map { ($0.name, $0.column) }, uniquingKeysWith: { a, _ in a })
    let report: DriftReport
    do {
      report = try DriftReport(
        reference: referenceColumns, current: currentColumns, test: test, threshold: threshold, driftShare: driftShare)
    } catch let refusal as DriftReport.Refusal {
      throw StartupError("\(current): \(refusal)")
    }
    json ? try Self.printJSON(report) : Self.printTable(report)
  }

  /// Columns by header; a column whose every present cell is a number is numeric.
  static func columns(_ path: String) throws -> [(name: String, column: DriftReport.Column)] {
    let table = try CSVFile.table(path)
    return table.header.enumerated().map { index, name in
      // Empty and NaN cells are missing values, left out as Evidently drops them.
      let cells = table.rows.compactMap { index < $0.count ? $0[index] : nil }.filter { !$0.isEmpty && Double($0)?.isNaN != true }
      let numbers = cells.compactMap(Double.init)
      return (name, numbers.count == cells.count && !cells.isEmpty ? .numeric(numbers) : .categorical(cells))
    }
  }

  static func printTable(_ report: DriftReport) {
    print(
      EndpointTable.pad("COLUMN", 24) + EndpointTable.pad("TEST", 15) + EndpointTable.pad("STATISTIC", 14)
        + EndpointTable.pad("P-VALUE", 12) + EndpointTable.pad("THRESHOLD", 11) + "DRIFT")
    for c in report.columns {
      print(
        EndpointTable.pad(c.column, 24) + EndpointTable.pad(c.test.rawValue, 15)
          + EndpointTable.pad(String(format: "%.6g", c.statistic), 14)
          + EndpointTable.pad(c.pValue.map { String(format: "%.4g", $0) } ?? "-", 12) + EndpointTable.pad("\(c.threshold)", 11)
          + (c.drifted ? "yes" : "no"))
    }
    let drifted = report.columns.filter(\.drifted).count
    print("dataset drift: \(report.datasetDrift ? "yes" : "no") (\(drifted) of \(report.columns.count) columns)")
  }

  static func printJSON(_ report: DriftReport) throws {
    let output = DriftJSON(
      columns: report.columns.map { c in
        DriftJSON.Column(
          column: c.column, test: c.test.rawValue, statistic: c.statistic, p_value: c.pValue, threshold: c.threshold, drifted: c.drifted)
      },
      dataset_drift: report.datasetDrift, drift_share: report.driftShare)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    print(String(decoding: try encoder.encode(output), as: UTF8.self))
  }

  /// `--json` output; the field names are the output's.
  struct DriftJSON: Encodable {
    struct Column: Encodable {
      let column: String
      let test: String
      let statistic: Double
      let p_value: Double?
      let threshold: Double
      let drifted: Bool

      enum CodingKeys: String, CodingKey { case column, test, statistic, p_value, threshold, drifted }

      /// Writes `p_value` as null when a test has none, as the output always did.
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(column, forKey: .column)
        try container.encode(test, forKey: .test)
        try container.encode(statistic, forKey: .statistic)
        try container.encode(p_value, forKey: .p_value)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(drifted, forKey: .drifted)
      }
    }

    let columns: [Column]
    let dataset_drift: Bool
    let drift_share: Double
  }
}

extension DriftReport.Test: ExpressibleByArgument {}
