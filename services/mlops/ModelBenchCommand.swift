import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsRuntime

/// `mlops onnx bench FILE --input rows.csv`: how fast this machine runs a model in-process —
/// single-row latency percentiles and batch throughput, as one JSON object.
struct ModelBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench", abstract: "Time a model on CSV rows: 1-row latency p50/p99 and batch throughput (JSON).")

  @Argument(help: "The .onnx file.") var file: String
  @Option(help: "CSV rows, as for `predict`.") var input: String
  @Option(help: "Single-row calls to time.") var calls: Int = 20_000
  @Option(help: "Rows per batch call; the input needs at least this many rows.") var batch: Int = 100

  func run() throws {
    let model = try Model(bytes: try ModelFile.read(file))
    let feeds: [String: Tensor]
    do {
      feeds = try TabularFeeds.make(for: model, table: try CSVFile.table(input))
    } catch let error as ModelError {
      throw StartupError("\(input): \(error.message)")
    }
    let rowCount = feeds.values.first?.shape.first ?? 0
    guard calls > 0 else { throw ValidationError("--calls must be at least 1") }
    guard rowCount >= batch else {
      throw StartupError(
        "\(input) has \(rowCount) rows; timing batches of --batch \(batch) needs at least that many (pass --batch \(max(rowCount, 1)) to time smaller ones)"
      )
    }
    let singles = (0..<min(rowCount, 1000)).map { r in feeds.mapValues { $0.rows(r..<r + 1) } }
    for feed in singles.prefix(200) { _ = try model.run(feed) }
    var samples = [UInt64](repeating: 0, count: calls)
    for i in 0..<calls {
      let feed = singles[i % singles.count]
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try model.run(feed)
      samples[i] = DispatchTime.now().uptimeNanoseconds - start
    }
    samples.sort()
    let batchFeed = feeds.mapValues { $0.rows(0..<batch) }
    for _ in 0..<20 { _ = try model.run(batchFeed) }
    let batches = max(calls / 50, 50)
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<batches { _ = try model.run(batchFeed) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let result: [String: Double] = [
      "p50_us": Double(samples[calls / 2]) / 1000, "p99_us": Double(samples[Int(Double(calls) * 0.99)]) / 1000,
      "batch\(batch)_rows_per_s": Double(batches * batch) / seconds,
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    print(String(decoding: try encoder.encode(result), as: UTF8.self))
  }
}
