import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// One suite, both backends: every repository implementation must behave the same.
@Suite("Experiment repository")
struct ExperimentRepositoryTests {
  func withRepository(
    _ backend: TestBackend, _ body: (ExperimentRepository) async throws -> Void
  ) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      try await body(ExperimentRepository(executor: storage.executor))
    }
  }

  @Test("creates an experiment with ids, times, default location and tags", arguments: TestBackend.available)
  func create(backend: TestBackend) async throws {
    try await withRepository(backend) { repository in
      let first = try await repository.create(
        NewExperiment(name: "churn", description: "d", tags: ["team": "ml", "q": "3"], creationTime: 1_700_000_000_123))
      let second = try await repository.create(NewExperiment(name: "fraud", artifactLocation: "s3://b/x", creationTime: 5))
      #expect(first.id > 0)
      #expect(second.id > first.id)
      #expect(first.artifactLocation == "mlops-artifacts:/\(first.id)")
      #expect(second.artifactLocation == "s3://b/x")
      #expect(first.lifecycle == .active)
      #expect(first.creationTime == 1_700_000_000_123)
      #expect(first.lastUpdateTime == 1_700_000_000_123)
      let fetched = try await repository.experiment(id: first.id)
      #expect(fetched == first)
      let observed1 = try await repository.experiment(named: "fraud")
      #expect(observed1 == second)
    }
  }

  @Test("a taken name is refused and nothing is written", arguments: TestBackend.available)
  func duplicateName(backend: TestBackend) async throws {
    try await withRepository(backend) { repository in
      let original = try await repository.create(NewExperiment(name: "churn", tags: ["a": "1"], creationTime: 1))
      await #expect(throws: TrackerError.experimentNameTaken("churn")) {
        _ = try await repository.create(NewExperiment(name: "churn", tags: ["b": "2"], creationTime: 2))
      }
      let observed2 = try await repository.experiment(named: "churn")
      #expect(observed2 == original)
      let next = try await repository.create(NewExperiment(name: "other", creationTime: 3))
      let observed3 = try await repository.experiment(id: next.id)?.tags
      #expect(observed3 == [:])
    }
  }

  @Test("unknown ids and names are nil", arguments: TestBackend.available)
  func missing(backend: TestBackend) async throws {
    try await withRepository(backend) { repository in
      let byID = try await repository.experiment(id: 4242)
      let byName = try await repository.experiment(named: "nope")
      #expect(byID == nil)
      #expect(byName == nil)
    }
  }

  @Test("names are exact and case-sensitive", arguments: TestBackend.available)
  func exactNames(backend: TestBackend) async throws {
    try await withRepository(backend) { repository in
      _ = try await repository.create(NewExperiment(name: "Churn", creationTime: 1))
      let lower = try await repository.experiment(named: "churn")
      let pattern = try await repository.experiment(named: "Churn%")
      #expect(lower == nil)
      #expect(pattern == nil)
      _ = try await repository.create(NewExperiment(name: "churn", creationTime: 2))
    }
  }
}
