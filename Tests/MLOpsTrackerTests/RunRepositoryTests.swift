import Foundation
import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// One suite, both backends: runs, logging and metric history behave the same on SQLite and
/// PostgreSQL.
@Suite("Run repository")
struct RunRepositoryTests {
  struct Repositories {
    let experiments: ExperimentRepository
    let runs: RunRepository

    func newRun(_ id: String = UUID().uuidString, experiment: Int64) -> NewRun {
      NewRun(id: id, experimentID: experiment, name: "r", startTime: 1000)
    }
  }

  func withRepositories(_ backend: TestBackend, _ body: (Repositories) async throws -> Void) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      let sql = storage.executor
      try await body(Repositories(experiments: ExperimentRepository(executor: sql), runs: RunRepository(executor: sql)))
    }
  }

  @Test("a created run reads back with source, environment, tags and an artifact URI", arguments: TestBackend.available)
  func create(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      var new = r.newRun("abc", experiment: e.id)
      new.tags = ["mlflow.user": "ana"]
      new.source = RunSource(repository: "git@x:y.git", commit: "deadbeef", entryPoint: "train.py", sourceType: "LOCAL")
      new.environment = RunEnvironment(runtime: "python 3.11", packagesDigest: "sha256:1", packages: ["numpy==2"], platform: "linux")
      let run = try await r.runs.create(new)
      #expect(run.info.id == "abc")
      #expect(run.info.status == .running)
      #expect(run.info.artifactURI == "mlops-artifacts:/\(e.id)/abc/artifacts")
      #expect(run.tags == ["mlflow.user": "ana"])
      #expect(run.source == new.source)
      #expect(run.environment == new.environment)
      let fetched = try await r.runs.run(id: "abc")
      #expect(fetched == run)
      let missing = try await r.runs.run(id: "nope")
      #expect(missing == nil)
    }
  }

  @Test("a run is created only in an active experiment that exists, and a refused one leaves nothing", arguments: TestBackend.available)
  func createChecksExperiment(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", artifactLocation: "s3://bucket/e", creationTime: 1))
      await #expect(throws: TrackerError.experimentNotFound("with id \(e.id + 1)")) {
        _ = try await r.runs.create(r.newRun("ghost", experiment: e.id + 1))
      }
      try await r.experiments.setLifecycle(id: e.id, .deleted, time: 2)
      await #expect(throws: TrackerError.failedPrecondition("experiment_id: experiment \(e.id) is deleted")) {
        _ = try await r.runs.create(r.newRun("late", experiment: e.id))
      }
      let refused = try await r.runs.run(id: "late")
      #expect(refused == nil)
      try await r.experiments.setLifecycle(id: e.id, .active, time: 3)
      let run = try await r.runs.create(r.newRun("on-time", experiment: e.id))
      #expect(run.info.artifactURI == "s3://bucket/e/on-time/artifacts")
    }
  }

  @Test("ids with quotes, backslashes and control characters read back, and a missing one is nil", arguments: TestBackend.available)
  func awkwardIDs(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      for id in ["q\"b\\s", "line\nbreak\u{1}\u{1f}", "é/試", "\"]"] {
        let run = try await r.runs.create(r.newRun(id, experiment: e.id))
        #expect(try await r.runs.run(id: id) == run)
      }
      #expect(try await r.runs.run(id: "\"], [\"") == nil)
    }
  }

  @Test("latest metric is the largest (step, timestamp, value); history keeps every point in order", arguments: TestBackend.available)
  func metrics(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      try await r.runs.log(
        runID: "run",
        LogBatch(metrics: [
          Metric(key: "loss", value: 0.9, timestamp: 10, step: 1), Metric(key: "loss", value: 0.5, timestamp: 20, step: 2),
          Metric(key: "loss", value: 0.7, timestamp: 20, step: 2), Metric(key: "acc", value: .nan, timestamp: 5, step: 0),
          Metric(key: "inf", value: -.infinity, timestamp: 5, step: 0),
        ]))
      try await r.runs.log(runID: "run", LogBatch(metrics: [Metric(key: "loss", value: 0.1, timestamp: 5, step: 1)]))
      let run = try await r.runs.run(id: "run")
      #expect(run?.metrics["loss"] == Metric(key: "loss", value: 0.7, timestamp: 20, step: 2))
      #expect(run?.metrics["acc"]?.value.isNaN == true)
      #expect(run?.metrics["inf"]?.value == -.infinity)
      let history = try await r.runs.metricHistory(runID: "run", key: "loss", after: nil, limit: 10)
      #expect(history.map(\.metric.value) == [0.1, 0.9, 0.5, 0.7])
      let page = try await r.runs.metricHistory(runID: "run", key: "loss", after: nil, limit: 2)
      let last = page[1]
      let rest = try await r.runs.metricHistory(
        runID: "run", key: "loss", after: MetricCursor(step: last.metric.step, timestamp: last.metric.timestamp, sequence: last.sequence),
        limit: 10)
      #expect((page + rest).map(\.metric.value) == [0.1, 0.9, 0.5, 0.7])
      let arrivals = try await r.runs.metricsSince(runID: "run", sequence: 0, keys: ["loss"], limit: 10)
      #expect(arrivals.map(\.metric.value) == [0.9, 0.5, 0.7, 0.1])
      let after = try await r.runs.metricsSince(runID: "run", sequence: arrivals[1].sequence, keys: [], limit: 10)
      #expect(after.map(\.metric.key) == ["loss", "acc", "inf", "loss"])
    }
  }

  @Test("a param may be re-logged with its value; a different value rejects the whole batch", arguments: TestBackend.available)
  func params(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      try await r.runs.log(runID: "run", LogBatch(params: [("lr", "0.1")]))
      try await r.runs.log(runID: "run", LogBatch(params: [("lr", "0.1")]))
      await #expect(throws: TrackerError.paramConflict(key: "lr", stored: "0.1", new: "0.2")) {
        try await r.runs.log(
          runID: "run",
          LogBatch(
            metrics: [Metric(key: "m", value: 1, timestamp: 1, step: 0)],
            params: [("depth", "3"), ("lr", "0.2")], tags: [("t", "x")]))
      }
      let run = try await r.runs.run(id: "run")
      #expect(run?.params == ["lr": "0.1"])
      #expect(run?.metrics.isEmpty == true)
      #expect(run?.tags.isEmpty == true)
      let history = try await r.runs.metricHistory(runID: "run", key: "m", after: nil, limit: 10)
      #expect(history.isEmpty)
    }
  }

  @Test("tags: last write wins, delete removes, deleting a missing tag is refused", arguments: TestBackend.available)
  func tags(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      try await r.runs.log(runID: "run", LogBatch(tags: [("stage", "a")]))
      try await r.runs.log(runID: "run", LogBatch(tags: [("stage", "b")]))
      let tagged = try await r.runs.run(id: "run")
      #expect(tagged?.tags == ["stage": "b"])
      try await r.runs.deleteTag(runID: "run", key: "stage")
      await #expect(throws: TrackerError.tagNotFound(runID: "run", key: "stage")) { try await r.runs.deleteTag(runID: "run", key: "stage") }
      let cleared = try await r.runs.run(id: "run")
      #expect(cleared?.tags == [:])
    }
  }

  @Test("a deleted run refuses writes until restored; update changes status, end and name", arguments: TestBackend.available)
  func lifecycle(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      let info = try await r.runs.update(id: "run", status: .finished, endTime: 2000, name: "final")
      #expect(info.status == .finished && info.endTime == 2000 && info.name == "final")
      try await r.runs.setLifecycle(id: "run", .deleted)
      await #expect(throws: TrackerError.runDeleted("run")) { try await r.runs.log(runID: "run", LogBatch(tags: [("a", "b")])) }
      await #expect(throws: TrackerError.runDeleted("run")) {
        _ = try await r.runs.update(id: "run", status: .failed, endTime: nil, name: nil)
      }
      await #expect(throws: TrackerError.self) { try await r.runs.setLifecycle(id: "run", .deleted) }
      try await r.runs.setLifecycle(id: "run", .active)
      try await r.runs.log(runID: "run", LogBatch(tags: [("a", "b")]))
      await #expect(throws: TrackerError.runNotFound("ghost")) { try await r.runs.log(runID: "ghost", LogBatch()) }
    }
  }

  @Test("inputs are recorded once per dataset name and digest", arguments: TestBackend.available)
  func inputs(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      let train = DatasetInput(
        name: "train", digest: "d1", sourceType: "s3", source: "s3://b/train", schema: "{}", context: "training", tags: ["k": "v"])
      try await r.runs.logInputs(runID: "run", [train, DatasetInput(name: "eval", digest: "d2", context: "evaluation")])
      try await r.runs.logInputs(runID: "run", [train])
      let run = try await r.runs.run(id: "run")
      #expect(run?.inputs.map(\.name) == ["eval", "train"])
      #expect(run?.inputs.last == train)
    }
  }

  @Test("8 concurrent batches into one run lose nothing", arguments: TestBackend.available)
  func concurrentBatches(backend: TestBackend) async throws {
    try await withRepositories(backend) { r in
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(r.newRun("run", experiment: e.id))
      try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<8 {
          group.addTask {
            for batch in 0..<5 {
              let metrics = (0..<100).map {
                Metric(key: "m\(client)", value: Double(batch * 100 + $0), timestamp: 1, step: Int64(batch * 100 + $0))
              }
              try await r.runs.log(runID: "run", LogBatch(metrics: metrics, params: [("p\(client)", "v")], tags: [("t", "\(client)")]))
            }
          }
        }
        try await group.waitForAll()
      }
      let run = try await r.runs.run(id: "run")
      #expect(run?.params.count == 8)
      for client in 0..<8 {
        let points = try await r.runs.metricHistory(runID: "run", key: "m\(client)", after: nil, limit: 1000)
        #expect(points.count == 500)
        #expect(run?.metrics["m\(client)"]?.value == 499)
      }
    }
  }
}
