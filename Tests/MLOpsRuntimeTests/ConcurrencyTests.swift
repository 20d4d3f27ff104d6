import Foundation
import MLOpsRuntime
import Testing

/// One loaded model serves many concurrent callers and each gets exactly the answer it would
/// get alone.
@Suite("A model runs concurrently")
struct ConcurrencyTests {
  @Test(
    "16 tasks × 50 calls agree with a sequential run",
    arguments: ["random_forest_classifier", "mlp_classifier", "column_transformer_pipeline"])
  func concurrentCalls(name: String) async throws {
    let fixture = try Fixture.load(name)
    let model = try Model(bytes: fixture.model)
    let expected = try model.run(fixture.inputs)
    let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
      for _ in 0..<16 {
        group.addTask {
          var bad = 0
          for _ in 0..<50 where try model.run(fixture.inputs) != expected { bad += 1 }
          return bad
        }
      }
      return try await group.reduce(0, +)
    }
    #expect(mismatches == 0)
  }
}
