import Foundation
import GRDB
import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import PostgresNIO
import Testing

/// A database written before integer run keys (schema version 3) keeps everything logged to
/// its runs through the migration, and takes new writes afterwards, on both backends.
@Suite("Integer run keys migration")
struct RunKeyMigrationTests {
  static let before = Array(TrackerSchema.migrations.prefix { $0.version <= 3 })

  /// Two runs as a version-3 tracker stored them: params, tags, three points of one metric
  /// (two at step 1), its latest value, a dataset input and an artifact in a directory.
  static let seed = [
    "INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (1, 'old', '/a', 1, 1)",
    """
    INSERT INTO runs (run_id, experiment_id, name, status, start_time, artifact_uri, env_packages)
    VALUES ('aaaa', 1, 'first', 3, 100, '/a/aaaa', '["numpy==2.1"]'), ('bbbb', 1, 'second', 1, 200, '/a/bbbb', '')
    """,
    "INSERT INTO params (run_id, key, value) VALUES ('aaaa', 'lr', '0.1'), ('aaaa', 'model', 'xgb'), ('bbbb', 'model', 'rf')",
    "INSERT INTO run_tags (run_id, key, value) VALUES ('aaaa', 'team', 'core')",
    """
    INSERT INTO metrics (run_id, key, value, is_nan, timestamp, step)
    VALUES ('aaaa', 'loss', 0.9, 0, 10, 0), ('aaaa', 'loss', 0.5, 0, 20, 1), ('aaaa', 'loss', 0.4, 0, 15, 1)
    """,
    "INSERT INTO latest_metrics (run_id, key, value, is_nan, timestamp, step) VALUES ('aaaa', 'loss', 0.5, 0, 20, 1)",
    """
    INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema_json, profile, context, tags_json)
    VALUES ('aaaa', 'train', 'd1', 'local', '/data', '{}', '', 'training', '{}')
    """,
    """
    INSERT INTO artifacts (run_id, path, parent, name, is_dir, size_bytes, sha256, created_at)
    VALUES ('aaaa', 'model', '', 'model', '1', 0, '', 5), ('aaaa', 'model/w.bin', 'model', 'w.bin', '0', 3, 'abc', 5)
    """,
  ]

  @Test(
    "runs, params, tags, history, latest metrics, inputs and artifacts survive, and new writes follow", arguments: TestBackend.available)
  func migratesLoggedData(backend: TestBackend) async throws {
    try await backend.withStorage(migrations: Self.before) { storage in
      let sql = storage.executor
      try await sql.transaction { c in for statement in Self.seed { try await c.execute(statement, []) } }
      let applied =
        switch storage {
        case .sqlite(let database): try await database.migrate(TrackerSchema.migrations)
        case .postgres(let database): try await database.migrate(TrackerSchema.migrations)
        }
      #expect(applied == TrackerSchema.migrations.map(\.version).filter { $0 >= 4 })
      try await Self.check(
        TrackerEngine(experiments: ExperimentRepository(executor: sql), runs: RunRepository(executor: sql)),
        ArtifactRepository(executor: sql))
    }
  }

  static func check(_ engine: TrackerEngine, _ artifacts: ArtifactRepository) async throws {
    let first = try await engine.run(id: "aaaa")
    #expect(first.info.name == "first" && first.info.status == .finished && first.environment.packages == ["numpy==2.1"])
    #expect(first.params == ["lr": "0.1", "model": "xgb"])
    #expect(first.tags == ["team": "core"])
    #expect(first.metrics["loss"] == Metric(key: "loss", value: 0.5, timestamp: 20, step: 1))
    #expect(first.inputs.map(\.name) == ["train"])
    #expect(try await engine.run(id: "bbbb").params == ["model": "rf"])

    let (history, _) = try await engine.metricHistory(runID: "aaaa", key: "loss", maxResults: 10, pageToken: "")
    #expect(history.map(\.value) == [0.9, 0.4, 0.5])

    let found = try await engine.searchRuns(
      experimentIDs: ["1"], filter: "params.model = 'xgb' and metrics.loss < 0.6", view: .active, maxResults: 10, orderBy: [], pageToken: ""
    )
    #expect(found.runs.map(\.info.id) == ["aaaa"])

    #expect(
      try await artifacts.entry(runID: "aaaa", path: "model/w.bin")
        == ArtifactEntry(path: "model/w.bin", isDirectory: false, size: 3, sha256: "abc"))
    #expect(try await artifacts.list(runID: "aaaa", directory: "", after: nil, limit: 10).map(\.path) == ["model"])

    // New points follow the old ones in history; a new run gets its own key.
    try await engine.log(runID: "aaaa", metrics: [Metric(key: "loss", value: 0.3, timestamp: 30, step: 2)], params: [], tags: [])
    let newRun = try await engine.createRun(
      experimentID: "1", name: "third", startTime: 300, tags: [("team", "edge")], source: RunSource(), environment: RunEnvironment(),
      userID: "")
    try await engine.log(runID: newRun.info.id, metrics: [], params: [("model", "xgb")], tags: [])
    let (after, _) = try await engine.metricHistory(runID: "aaaa", key: "loss", maxResults: 10, pageToken: "")
    #expect(after.map(\.value) == [0.9, 0.4, 0.5, 0.3])
    #expect(try await engine.run(id: newRun.info.id).tags == ["team": "edge", "mlflow.runName": "third"])
    let xgb = try await engine.searchRuns(
      experimentIDs: ["1"], filter: "params.model = 'xgb'", view: .active, maxResults: 10, orderBy: [], pageToken: "")
    #expect(xgb.runs.map(\.info.id) == [newRun.info.id, "aaaa"])
  }
}
