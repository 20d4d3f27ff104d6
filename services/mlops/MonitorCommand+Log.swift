import ArgumentParser
import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto
import MLOpsRuntime

extension MonitorCommand {
  /// `mlops monitor log MONITOR FILE.csv`: feeds a monitor predictions made elsewhere (a batch
  /// job, another server) from a CSV file: one prediction per row, every column a value by its
  /// name (the monitor's columns say which are features, the prediction and the label), a
  /// `request_id` column to join labels later, a `latency_ms` column for latency windows.
  struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Send the rows of a CSV file to a monitor as predictions (columns by name; request_id and latency_ms are special).")
    @Argument var monitor: String
    @Argument(help: "CSV with a header row; numbers are numeric values, other cells text, empty cells missing.") var file: String
    @OptionGroup var endpoint: EndpointOptions

    /// Records per call.
    static let batch = 1000

    func run() async throws {
      let table = try CSVFile.table(file)
      let records = try Self.records(table, file: file)
      let (name, path) = (monitor, file)
      let accepted = try await MonitorCommand.call(endpoint) { client in
        var accepted: Int64 = 0
        for start in stride(from: 0, to: records.count, by: Self.batch) {
          let slice = Array(records[start..<min(start + Self.batch, records.count)])
          do {
            accepted += try await client.logPredictions(
              .with {
                $0.monitor = name
                $0.records = slice
              }
            ).recordsAccepted
          } catch let error as RPCError where error.code == .invalidArgument || error.code == .notFound {
            // records[i] of this batch is CSV line start + i + 2 (after the header).
            throw StartupError("\(path) (rows \(start + 1)–\(start + slice.count)): \(error.message)")
          }
        }
        return accepted
      }
      print("logged \(accepted) predictions to monitor \(monitor)")
    }

    /// One record per row; a bad latency fails naming the file, row and column (exit 1).
    static func records(_ table: CSVTable, file: String) throws -> [Mlops_Monitor_V1_PredictionRecord] {
      try table.rows.enumerated().map { index, cells in
        var record = Mlops_Monitor_V1_PredictionRecord()
        for (column, cell) in zip(table.header, cells) where !cell.isEmpty {
          switch column {
          case "request_id": record.requestID = cell
          case "latency_ms":
            guard let latency = Double(cell), latency.isFinite, latency >= 0 else {
              throw StartupError("\(file) row \(index + 1), column latency_ms: '\(cell)' is not a non-negative number")
            }
            record.latencyMs = latency
          default:
            record.features[column] = Double(cell).map { n in .with { $0.doubleValue = n } } ?? .with { $0.stringValue = cell }
          }
        }
        return record
      }
    }
  }
}
