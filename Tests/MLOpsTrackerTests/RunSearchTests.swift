import Foundation
import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// SearchRuns on both backends: each operator selects the right runs, order_by sorts with
/// missing values last and ties by start time then run id, and pages neither repeat nor skip.
@Suite("Run search")
struct RunSearchTests {
  func withEngine(_ backend: TestBackend, _ body: (TrackerEngine, String) async throws -> Void) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      let sql = storage.executor
      let engine = TrackerEngine(experiments: ExperimentRepository(executor: sql), runs: RunRepository(executor: sql))
      let experiment = try await engine.createExperiment(name: "search", artifactLocation: "", description: "", tags: [])
      try await body(engine, String(experiment.id))
    }
  }

  /// Five runs: name, start time, auc (nil: not logged), model param, team tag, status.
  static let table: [(String, Int64, Double?, String, String, RunStatus)] = [
    ("a", 100, 0.91, "xgb", "ML-core", .finished),
    ("b", 200, 0.85, "lgbm", "ml-edge", .finished),
    ("c", 300, nil, "xgb", "data", .failed),
    ("d", 300, 0.85, "rf", "ml-core", .running),
    ("e", 400, .nan, "rf", "Data", .killed),
  ]

  func seed(_ engine: TrackerEngine, _ experiment: String) async throws -> [String: String] {
    var ids: [String: String] = [:]
    for (name, start, auc, model, team, status) in Self.table {
      let run = try await engine.createRun(
        experimentID: experiment, name: name, startTime: start, tags: [("team", team)],
        source: .init(), environment: .init(), userID: "")
      ids[name] = run.info.id
      try await engine.log(
        runID: run.info.id, metrics: auc.map { [Metric(key: "auc", value: $0, timestamp: 1, step: 0)] } ?? [],
        params: [("model", model)], tags: [])
      _ = try await engine.updateRun(id: run.info.id, status: status, endTime: nil, name: nil)
      if name == "a" { try await engine.log(runID: run.info.id, metrics: [], params: [], tags: [("reviewed", "yes")]) }
      if name == "c" {
        try await engine.logInputs(runID: run.info.id, [DatasetInput(name: "train", digest: "d1", context: "training")])
      }
    }
    return ids
  }

  func names(_ engine: TrackerEngine, _ experiment: String, _ filter: String, order: [String] = []) async throws -> [String] {
    try await engine.searchRuns(experimentIDs: [experiment], filter: filter, view: .active, maxResults: 100, orderBy: order, pageToken: "")
      .runs.map(\.info.name)
  }

  @Test("each operator selects the expected runs", arguments: TestBackend.available)
  func operators(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      let ids = try await seed(engine, experiment)
      // MLflow's semantics: a NaN metric (run e) differs from every number and equals or orders
      // against none; lists only for run_id and dataset fields; a name without a prefix is an
      // attribute.
      let cases: [(String, Set<String>)] = [
        ("metrics.auc > 0.85", ["a"]), ("metrics.auc >= 0.85", ["a", "b", "d"]), ("metrics.auc < 0.9", ["b", "d"]),
        ("metrics.auc <= 0.85", ["b", "d"]), ("metrics.auc = 0.85", ["b", "d"]), ("metrics.auc != 0.85", ["a", "e"]),
        ("metrics.auc = 0", []), ("metrics.auc != 0", ["a", "b", "d", "e"]), ("metrics.auc > -1", ["a", "b", "d"]),
        ("params.model = 'xgb'", ["a", "c"]), ("params.model != 'xgb'", ["b", "d", "e"]),
        ("tags.team LIKE 'ml%'", ["b", "d"]), ("tags.team ILIKE 'ml%'", ["a", "b", "d"]),
        ("tags.reviewed IS NULL", ["b", "c", "d", "e"]), ("tags.reviewed IS NOT NULL", ["a"]), ("params.model IS NULL", []),
        ("attributes.status = 'FINISHED'", ["a", "b"]), ("status = 'KILLED'", ["e"]), ("run_name = 'b'", ["b"]),
        ("`run name` = 'c'", ["c"]), ("created >= 300", ["c", "d", "e"]),
        ("attributes.status != 'FINISHED'", ["c", "d", "e"]), ("attributes.start_time >= 300", ["c", "d", "e"]),
        ("attributes.run_name LIKE '_'", ["a", "b", "c", "d", "e"]), ("attributes.run_id IN ('\(ids["d"]!)')", ["d"]),
        ("run_id NOT IN ('\(ids["d"]!)', '\(ids["e"]!)')", ["a", "b", "c"]),
        ("datasets.context = 'training'", ["c"]), ("datasets.name != 'train'", []), ("datasets.context IN ('training')", ["c"]),
        ("metrics.auc > 0.8 AND params.model = 'rf'", ["d"]), ("", ["a", "b", "c", "d", "e"]),
        // One equality drives, the other filters probe each of its candidates.
        ("tags.team = 'data' AND params.model = 'xgb'", ["c"]), ("params.model = 'xgb' AND tags.team LIKE 'ML%'", ["a"]),
        ("params.model = 'xgb' AND tags.reviewed IS NULL", ["c"]), ("params.model = 'rf' AND metrics.auc != 0.85", ["e"]),
        // Bounds beyond Int64 keep their meaning instead of trapping in the conversion.
        ("attributes.start_time > 99999999999999999999", []), ("attributes.start_time < 99999999999999999999", ["a", "b", "c", "d", "e"]),
        ("attributes.end_time = 9223372036854775807", []), ("attributes.start_time > -1e300", ["a", "b", "c", "d", "e"]),
        ("attributes.start_time != 1e999", ["a", "b", "c", "d", "e"]),
      ]
      for (filter, expected) in cases {
        let found = try await names(engine, experiment, filter)
        #expect(Set(found) == expected, "\(filter) on \(backend)")
      }
    }
  }

  @Test("order_by sorts with missing values last and ties by start time, then run id", arguments: TestBackend.available)
  func ordering(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      let ids = try await seed(engine, experiment)
      let byDefault = try await names(engine, experiment, "")
      let tie = ids["c"]! < ids["d"]! ? ["c", "d"] : ["d", "c"]
      #expect(byDefault == ["e"] + tie + ["b", "a"])
      let aucDesc = try await names(engine, experiment, "", order: ["metrics.auc DESC"])
      // As MLflow: real values in the asked direction, then NaN (e), then no value (c).
      #expect(aucDesc == ["a", "d", "b", "e", "c"])
      let aucAsc = try await names(engine, experiment, "", order: ["metrics.auc ASC"])
      #expect(aucAsc == ["d", "b", "a", "e", "c"])
      let byParam = try await names(engine, experiment, "", order: ["params.model", "attributes.run_name DESC"])
      #expect(byParam == ["b", "e", "d", "c", "a"])
    }
  }

  @Test("filters and orders MLflow refuses are INVALID_ARGUMENT naming the field", arguments: TestBackend.available)
  func refusals(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      let refused: [(filter: String, order: [String], field: String, says: String)] = [
        ("params.model IN ('rf')", [], "filter", "IN does not apply"), ("tags.team NOT IN ('x')", [], "filter", "NOT IN does not apply"),
        ("attributes.status IN ('FAILED')", [], "filter", "IN does not apply"), ("metrics.auc IS NULL", [], "filter", "IS NULL"),
        ("", ["metrics.auc", "metrics.auc DESC"], "order_by[1]", "repeats"), ("", ["created", "start_time"], "order_by[1]", "repeats"),
        ("nonsense = 'x'", [], "filter", "unknown attribute 'nonsense'"),
      ]
      for (filter, order, field, says) in refused {
        do {
          _ = try await names(engine, experiment, filter, order: order)
          Issue.record("\(filter) \(order) was accepted on \(backend)")
        } catch TrackerError.invalidArgument(let named, let reason) {
          #expect(named == field && reason.contains(says), "\(filter) \(order): \(named) \(reason)")
        }
      }
    }
  }

  @Test("the run name is the mlflow.runName tag: set by CreateRun, kept by UpdateRun, and SetTag renames", arguments: TestBackend.available)
  func runNameTag(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      let named = try await engine.createRun(
        experimentID: experiment, name: "first", startTime: 1, tags: [], source: .init(), environment: .init(), userID: "")
      #expect(named.tags["mlflow.runName"] == "first")
      let fromTag = try await engine.createRun(
        experimentID: experiment, name: "", startTime: 1, tags: [("mlflow.runName", "tagged")], source: .init(), environment: .init(),
        userID: "")
      #expect(fromTag.info.name == "tagged")
      _ = try await engine.updateRun(id: named.info.id, status: nil, endTime: nil, name: "renamed")
      #expect(try await engine.run(id: named.info.id).tags["mlflow.runName"] == "renamed")
      try await engine.log(runID: named.info.id, metrics: [], params: [], tags: [("mlflow.runName", "by-tag")])
      #expect(try await engine.run(id: named.info.id).info.name == "by-tag")
      #expect(try await names(engine, experiment, "run_name = 'by-tag'") == ["by-tag"])
      await #expect(throws: TrackerError.self) {
        _ = try await engine.createRun(
          experimentID: experiment, name: "one", startTime: 1, tags: [("mlflow.runName", "other")], source: .init(), environment: .init(),
          userID: "")
      }
    }
  }

  @Test("pages of 2 walk every run once, even while runs are being added", arguments: TestBackend.available)
  func paging(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      _ = try await seed(engine, experiment)
      for extra in 0..<7 {
        _ = try await engine.createRun(
          experimentID: experiment, name: "x\(extra)", startTime: 250, tags: [], source: .init(), environment: .init(), userID: "")
      }
      let all = try await engine.searchRuns(
        experimentIDs: [experiment], filter: "", view: .active, maxResults: 100, orderBy: ["metrics.auc DESC"], pageToken: ""
      ).runs.map(\.info.id)
      var seen: [String] = []
      var token = ""
      var pages = 0
      repeat {
        let page = try await engine.searchRuns(
          experimentIDs: [experiment], filter: "", view: .active, maxResults: 2, orderBy: ["metrics.auc DESC"], pageToken: token)
        seen += page.runs.map(\.info.id)
        token = page.nextPageToken
        pages += 1
        _ = try await engine.createRun(
          experimentID: experiment, name: "late\(pages)", startTime: 999, tags: [], source: .init(), environment: .init(), userID: "")
      } while !token.isEmpty
      #expect(Set(seen).count == seen.count)
      #expect(Set(all).isSubset(of: Set(seen)))
    }
  }

  @Test("deleted runs appear only in the views that ask for them; a token from another search is refused", arguments: TestBackend.available)
  func viewsAndTokens(backend: TestBackend) async throws {
    try await withEngine(backend) { engine, experiment in
      let ids = try await seed(engine, experiment)
      try await engine.deleteRun(id: ids["a"]!)
      let active = try await engine.searchRuns(
        experimentIDs: [experiment], filter: "", view: .active, maxResults: 10, orderBy: [], pageToken: ""
      ).runs
      let deleted = try await engine.searchRuns(
        experimentIDs: [experiment], filter: "", view: .deleted, maxResults: 10, orderBy: [], pageToken: ""
      ).runs
      let all = try await engine.searchRuns(experimentIDs: [experiment], filter: "", view: .all, maxResults: 10, orderBy: [], pageToken: "")
        .runs
      #expect(active.count == 4 && deleted.map(\.info.name) == ["a"] && all.count == 5)
      let token = try await engine.searchRuns(
        experimentIDs: [experiment], filter: "", view: .active, maxResults: 1, orderBy: [], pageToken: ""
      ).nextPageToken
      await #expect(throws: TrackerError.self) {
        _ = try await engine.searchRuns(
          experimentIDs: [experiment], filter: "metrics.auc > 0", view: .active, maxResults: 1, orderBy: [], pageToken: token)
      }
      await #expect(throws: TrackerError.invalidArgument(field: "max_results", reason: "must be between 1 and 50000")) {
        _ = try await engine.searchRuns(
          experimentIDs: [experiment], filter: "", view: .active, maxResults: 50_001, orderBy: [], pageToken: "")
      }
    }
  }
}
