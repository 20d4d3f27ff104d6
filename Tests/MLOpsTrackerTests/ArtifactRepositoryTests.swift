import Foundation
import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// The artifact index on both backends: directories appear with their files, listings page in
/// bytewise name order, and a path can never be both a file and a directory.
@Suite("Artifact repository")
struct ArtifactRepositoryTests {
  struct Repositories {
    let experiments: ExperimentRepository
    let runs: RunRepository
    let artifacts: ArtifactRepository
  }

  func withRun(_ backend: TestBackend, _ body: (Repositories, String) async throws -> Void) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      let sql = storage.executor
      let r = Repositories(
        experiments: ExperimentRepository(executor: sql), runs: RunRepository(executor: sql), artifacts: ArtifactRepository(executor: sql))
      let e = try await r.experiments.create(NewExperiment(name: "e", creationTime: 1))
      _ = try await r.runs.create(NewRun(id: "run1", experimentID: e.id, name: "r", startTime: 1))
      try await body(r, "run1")
    }
  }

  static func blob(_ n: Int) -> BlobStore.Stored {
    BlobStore.Stored(sha256: String(repeating: String(n % 10), count: 64), size: Int64(n))
  }

  @Test("a nested file creates its directories, and listings show each level in name order", arguments: TestBackend.available)
  func nested(backend: TestBackend) async throws {
    try await withRun(backend) { r, run in
      try await r.artifacts.record(runID: run, path: ArtifactPath("model/weights/a.bin", field: "p"), blob: Self.blob(3), time: 1)
      try await r.artifacts.record(runID: run, path: ArtifactPath("model/MLmodel", field: "p"), blob: Self.blob(5), time: 1)
      try await r.artifacts.record(runID: run, path: ArtifactPath("README", field: "p"), blob: Self.blob(7), time: 1)
      let root = try await r.artifacts.list(runID: run, directory: "", after: nil, limit: 10)
      #expect(root.map(\.path) == ["README", "model"])
      #expect(root.map(\.isDirectory) == [false, true])
      let model = try await r.artifacts.list(runID: run, directory: "model", after: nil, limit: 10)
      #expect(model.map(\.path) == ["model/MLmodel", "model/weights"])
      #expect(model[0].size == 5 && model[0].sha256 == Self.blob(5).sha256)
      let page = try await r.artifacts.list(runID: run, directory: "model", after: "MLmodel", limit: 10)
      #expect(page.map(\.path) == ["model/weights"])
      #expect(try await r.artifacts.entry(runID: run, path: "model/weights/a.bin")?.size == 3)
      #expect(try await r.artifacts.entry(runID: run, path: "nope") == nil)
    }
  }

  @Test("re-uploading a path replaces its blob; last write wins", arguments: TestBackend.available)
  func overwrite(backend: TestBackend) async throws {
    try await withRun(backend) { r, run in
      let path = try ArtifactPath("metrics.json", field: "p")
      try await r.artifacts.record(runID: run, path: path, blob: Self.blob(1), time: 1)
      try await r.artifacts.record(runID: run, path: path, blob: Self.blob(2), time: 2)
      #expect(
        try await r.artifacts.entry(runID: run, path: "metrics.json")
          == ArtifactEntry(
            path: "metrics.json", isDirectory: false, size: 2, sha256: Self.blob(2).sha256))
    }
  }

  @Test("a file cannot sit where a directory is, nor under a file, and nothing is recorded", arguments: TestBackend.available)
  func conflicts(backend: TestBackend) async throws {
    try await withRun(backend) { r, run in
      try await r.artifacts.record(runID: run, path: ArtifactPath("a/b", field: "p"), blob: Self.blob(1), time: 1)
      await #expect(throws: TrackerError.artifactConflict(path: "a", reason: "'a' is a directory")) {
        try await r.artifacts.record(runID: run, path: ArtifactPath("a", field: "p"), blob: Self.blob(2), time: 1)
      }
      await #expect(throws: TrackerError.artifactConflict(path: "a/b/c/d", reason: "'a/b' is a file, not a directory")) {
        try await r.artifacts.record(runID: run, path: ArtifactPath("a/b/c/d", field: "p"), blob: Self.blob(2), time: 1)
      }
      #expect(try await r.artifacts.entry(runID: run, path: "a/b/c") == nil)
      #expect(try await r.artifacts.list(runID: run, directory: "a", after: nil, limit: 10).map(\.path) == ["a/b"])
    }
  }

  @Test("unknown and deleted runs refuse artifacts", arguments: TestBackend.available)
  func runState(backend: TestBackend) async throws {
    try await withRun(backend) { r, run in
      let path = try ArtifactPath("x", field: "p")
      await #expect(throws: TrackerError.runNotFound("ghost")) {
        try await r.artifacts.record(runID: "ghost", path: path, blob: Self.blob(1), time: 1)
      }
      try await r.runs.setLifecycle(id: run, .deleted)
      await #expect(throws: TrackerError.runDeleted(run)) {
        try await r.artifacts.record(runID: run, path: path, blob: Self.blob(1), time: 1)
      }
      #expect(try await r.artifacts.list(runID: run, directory: "", after: nil, limit: 10).isEmpty)
    }
  }
}
