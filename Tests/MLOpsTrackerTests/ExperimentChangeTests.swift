import Foundation
import Logging
import MLOpsCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Experiment search, rename, soft delete/restore and tags, on both backends.
@Suite("Experiment search and changes")
struct ExperimentChangeTests {
  func withEngine(_ backend: TestBackend, _ body: (TrackerEngine) async throws -> Void) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      let clock = ManagedClock()
      let sql = storage.executor
      try await body(TrackerEngine(experiments: ExperimentRepository(executor: sql), runs: RunRepository(executor: sql), clock: clock.next))
    }
  }

  /// Strictly increasing milliseconds, so ordering by time is deterministic.
  final class ManagedClock: Sendable {
    let counter = Counter()
    final class Counter: @unchecked Sendable {
      var value: Int64 = 1_000
      let lock = NSLock()
    }
    var next: @Sendable () -> Int64 {
      let counter = self.counter
      return {
        counter.lock.lock()
        defer { counter.lock.unlock() }
        counter.value += 1
        return counter.value
      }
    }
  }

  func names(_ engine: TrackerEngine, _ filter: String, order: [String] = [], view: RunSearch.View = .active) async throws -> [String] {
    try await engine.searchExperiments(filter: filter, orderBy: order, view: view, maxResults: 100, pageToken: "").experiments.map(\.name)
  }

  @Test("filters on name and tags, orders, pages", arguments: TestBackend.available)
  func search(backend: TestBackend) async throws {
    try await withEngine(backend) { engine in
      for (name, team) in [("churn-v1", "ml"), ("churn-v2", "ml"), ("Fraud", "risk"), ("pricing", "ML")] {
        _ = try await engine.createExperiment(name: name, artifactLocation: "", description: "", tags: [("team", team)])
      }
      let byName = try await names(engine, "name LIKE 'churn%'")
      #expect(Set(byName) == ["churn-v1", "churn-v2"])
      let ilike = try await names(engine, "attributes.name ILIKE 'f%'")
      #expect(ilike == ["Fraud"])
      let tagged = try await names(engine, "tags.team = 'ml'", order: ["name ASC"])
      #expect(tagged == ["churn-v1", "churn-v2"])
      let notML = try await names(engine, "tags.team != 'ml'", order: ["name DESC"])
      #expect(notML == ["pricing", "Fraud"])
      let newest = try await names(engine, "")
      #expect(newest == ["pricing", "Fraud", "churn-v2", "churn-v1"])
      var token = ""
      var seen: [String] = []
      repeat {
        let page = try await engine.searchExperiments(filter: "", orderBy: ["name"], view: .active, maxResults: 3, pageToken: token)
        seen += page.experiments.map(\.name)
        token = page.nextPageToken
      } while !token.isEmpty
      #expect(seen == ["Fraud", "churn-v1", "churn-v2", "pricing"])
      await #expect(throws: TrackerError.self) { _ = try await names(engine, "colour = 'red'") }
      await #expect(throws: TrackerError.self) { _ = try await names(engine, "", order: ["colour"]) }
    }
  }

  @Test("rename, a taken name, soft delete with runs, restore, tags", arguments: TestBackend.available)
  func changes(backend: TestBackend) async throws {
    try await withEngine(backend) { engine in
      let churn = try await engine.createExperiment(name: "churn", artifactLocation: "", description: "", tags: [])
      _ = try await engine.createExperiment(name: "fraud", artifactLocation: "", description: "", tags: [])
      let run = try await engine.createRun(
        experimentID: String(churn.id), name: "r", startTime: nil, tags: [], source: .init(), environment: .init(), userID: "")
      let renamed = try await engine.updateExperiment(id: String(churn.id), newName: "churn-2026", description: "weekly")
      #expect(renamed.name == "churn-2026" && renamed.description == "weekly" && renamed.lastUpdateTime > churn.lastUpdateTime)
      await #expect(throws: TrackerError.experimentNameTaken("fraud")) {
        _ = try await engine.updateExperiment(id: String(churn.id), newName: "fraud", description: nil)
      }
      try await engine.setExperimentTag(id: String(churn.id), key: "owner", value: "ana")
      try await engine.setExperimentTag(id: String(churn.id), key: "owner", value: "bo")
      let tagged = try await engine.experiment(id: String(churn.id))
      #expect(tagged.tags == ["owner": "bo"] && tagged.name == "churn-2026")
      try await engine.deleteExperiment(id: String(churn.id))
      let deletedRun = try await engine.run(id: run.info.id)
      #expect(deletedRun.info.lifecycle == .deleted)
      let deletedNames = try await names(engine, "", view: .deleted)
      #expect(deletedNames == ["churn-2026"])
      await #expect(throws: TrackerError.self) { try await engine.setExperimentTag(id: String(churn.id), key: "k", value: "v") }
      await #expect(throws: TrackerError.self) {
        _ = try await engine.createRun(
          experimentID: String(churn.id), name: "", startTime: nil, tags: [], source: .init(), environment: .init(), userID: "")
      }
      await #expect(throws: TrackerError.self) { try await engine.deleteExperiment(id: String(churn.id)) }
      try await engine.restoreExperiment(id: String(churn.id))
      let restoredRun = try await engine.run(id: run.info.id)
      #expect(restoredRun.info.lifecycle == .active)
      await #expect(throws: TrackerError.self) { try await engine.restoreExperiment(id: String(churn.id)) }
    }
  }
}
