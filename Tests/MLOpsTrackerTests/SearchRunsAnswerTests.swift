import MLOpsCore
import MLOpsProto
import SwiftProtobuf
import Testing

@testable import MLOpsTracker

/// SearchRuns writes its answer by hand from the domain runs; a client decodes it as
/// `SearchRunsResponse`, so its bytes must be exactly those of the generated message built by
/// the conversion every other run-returning method uses.
@Suite("SearchRuns' hand-written answer")
struct SearchRunsAnswerTests {
  static func info(_ id: String, status: RunStatus, start: Int64, end: Int64?, lifecycle: Experiment.Lifecycle) -> RunInfo {
    RunInfo(
      id: id, experimentID: 9_007_199_254_740_993, name: id.isEmpty ? "" : "name-\(id)", status: status, startTime: start,
      endTime: end, lifecycle: lifecycle, artifactURI: id.isEmpty ? "" : "file:///a/\(id)", userID: id.isEmpty ? "" : "ana")
  }

  /// Every kind of field: special doubles (NaN, ±inf, -0.0, +0.0), negative times and steps,
  /// keys whose order depends on case and non-ASCII letters, empty strings inside repeated
  /// fields, inputs with tags, a run with nothing but defaults.
  static let runs: [Run] = [
    Run(
      info: info("a1", status: .finished, start: 1_700_000_000_123, end: 1_700_000_100_999, lifecycle: .active),
      metrics: [
        "loss": Metric(key: "loss", value: .nan, timestamp: 5, step: -3),
        "Zeta": Metric(key: "Zeta", value: -.infinity, timestamp: -1_500, step: 0),
        "é": Metric(key: "é", value: .infinity, timestamp: 0, step: 1 << 40),
        "neg0": Metric(key: "neg0", value: -0.0, timestamp: 1, step: 1),
        "zero": Metric(key: "zero", value: 0, timestamp: 1_234, step: 2),
      ],
      params: ["lr": "0.1", "Batch": "", "ünïcode": "välue", "a": String(repeating: "x", count: 300)],
      tags: ["mlflow.runName": "a1", "": "", "team": "ml"],
      inputs: [
        DatasetInput(
          name: "train", digest: "d1", sourceType: "s3", source: "s3://b/k", schema: "{}", profile: "p", context: "training",
          tags: ["b": "2", "a": "1"]),
        DatasetInput(name: "", digest: ""),
      ],
      source: RunSource(repository: "git@x:y.git", commit: "abc", entryPoint: "train.py", sourceType: "PROJECT"),
      environment: RunEnvironment(
        runtime: "python 3.12", packagesDigest: "sha256:1", packages: ["numpy==2", "", "torch"], platform: "linux")),
    Run(
      info: info("", status: .running, start: 0, end: nil, lifecycle: .deleted), metrics: [:], params: [:], tags: [:], inputs: [],
      source: RunSource(), environment: RunEnvironment()),
    Run(
      info: info("k5", status: .killed, start: -1_001, end: -1, lifecycle: .deleted),
      metrics: ["m": Metric(key: "m", value: 1e-300, timestamp: 999, step: -1)],
      params: [:], tags: ["t": "v"], inputs: [], source: RunSource(commit: "c"), environment: RunEnvironment(packages: [""])),
  ]

  @Test("writes the bytes of the generated SearchRunsResponse", arguments: [0, 1, 3], ["", "eyJmIjoiMSJ9"])
  func sameBytes(count: Int, token: String) throws {
    let runs = Array(Self.runs.prefix(count))
    let ours: [UInt8] = try WireEncodableSerializer<SearchRunsAnswer>.bytes(SearchRunsAnswer(runs: runs, nextPageToken: token))
    let generated = Mlops_Tracker_V1_SearchRunsResponse.with {
      $0.runs = runs.map(Mlops_Tracker_V1_Run.init)
      $0.nextPageToken = token
    }
    let reference: [UInt8] = try generated.serializedBytes()
    #expect(ours == reference)
    // (The messages themselves cannot be compared: a NaN metric is unequal to itself.)
    #expect(try Mlops_Tracker_V1_SearchRunsResponse(serializedBytes: ours).runs.map(\.info.runID) == runs.map(\.info.id))
  }
}
