import Foundation
import MLOpsMonitor
import MLOpsRuntime
import MLOpsTracker

/// The parsers that read what a client sends, each given arbitrary bytes: a refusal (a thrown
/// error) is the expected answer; a crash, a hang or unbounded memory is the bug libFuzzer
/// looks for. Chosen by `MLOPS_FUZZ_TARGET` so one instrumented binary serves them all.
enum FuzzTarget: String, CaseIterable {
  /// MLflow's search filter (`metrics.acc > 0.9 and tags.team = 'x'`).
  case filter
  /// A monitor's retraining schedule (`*/15 2-5 * * 1`).
  case cron
  /// An uploaded model (ONNX protobuf) as the runtime loads it.
  case onnx
  /// A CSV of rows for `mlops model predict` and `mlops predict`.
  case csv
  /// A SearchRuns page token echoed back by a client.
  case pageToken = "page-token"

  /// Feeds `data` to the parser; every outcome but a crash is fine.
  func run(_ data: Data) {
    switch self {
    case .filter: _ = try? RunFilter(parsing: String(decoding: data, as: UTF8.self))
    case .cron: _ = try? CronSchedule(String(decoding: data, as: UTF8.self))
    case .onnx: _ = try? Model(bytes: data, limits: .standard)
    case .csv: _ = try? CSVTable(parsing: String(decoding: data, as: UTF8.self))
    case .pageToken: _ = try? RunSearch.decodePageToken(String(decoding: data, as: UTF8.self))
    }
  }

  /// The target named by the environment (filter when unset).
  static var current: FuzzTarget {
    ProcessInfo.processInfo.environment["MLOPS_FUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) ?? .filter
  }
}

#if FUZZING
  import CFuzzDriver

  /// libFuzzer's entry point: one input per call.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.current.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
  }

  /// The process entry in a fuzz build (SwiftPM points `main` here): libFuzzer's driver, with
  /// its usual command line (`-runs=N CORPUS_DIR`).
  @_cdecl("MLOpsFuzz_main")
  public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { bytes, size in fuzzOneInput(bytes, size) }
  }
#endif
