import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Searching models and versions with MLflow's filters, order_by and page tokens.
@Suite("Registry search")
struct SearchTests {
  typealias H = RegistryHarness

  func withModels(_ backend: TestBackend, _ body: (H, String) async throws -> Void) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      for (name, team) in [("fraud-a", "risk"), ("fraud-b", "risk"), ("churn", "growth"), ("Fraud-c", "risk")] {
        _ = try await h.registry.createRegisteredModel(
          .with {
            $0.name = name
            $0.tags = [
              .with {
                $0.key = "team"
                $0.value = team
              }
            ]
          })
      }
      try await body(h, run)
    }
  }

  @Test("models filter by name and tags with = != LIKE ILIKE, in name order", arguments: TestBackend.available)
  func models(backend: TestBackend) async throws {
    try await withModels(backend) { h, _ in
      func names(_ filter: String, _ order: [String] = []) async throws -> [String] {
        try await h.registry.searchRegisteredModels(
          .with {
            $0.filter = filter
            $0.orderBy = order
          }
        ).registeredModels.map(\.name)
      }
      let r1 = try await names("")
      #expect(r1 == ["Fraud-c", "churn", "fraud-a", "fraud-b"])
      let r2 = try await names("name LIKE 'fraud%'")
      #expect(r2 == ["fraud-a", "fraud-b"])
      let r3 = try await names("name ILIKE 'fraud%'")
      #expect(r3 == ["Fraud-c", "fraud-a", "fraud-b"])
      let r4 = try await names("tags.team = 'risk' AND name != 'fraud-a'")
      #expect(r4 == ["Fraud-c", "fraud-b"])
      let r5 = try await names("name = 'churn'")
      #expect(r5 == ["churn"])
      let r6 = try await names("", ["name DESC"])
      #expect(r6 == ["fraud-b", "fraud-a", "churn", "Fraud-c"])
    }
  }

  @Test("MLflow's prompt tag: its client's `tag.`key` != 'true'` keeps models without it, `= 'true'` finds only prompts")
  func promptTag() async throws {
    try await withModels(.sqlite) { h, _ in
      _ = try await h.registry.createRegisteredModel(
        .with {
          $0.name = "a-prompt"
          $0.tags = [
            .with {
              $0.key = "mlflow.prompt.is_prompt"
              $0.value = "true"
            }
          ]
        })
      func names(_ filter: String) async throws -> [String] {
        try await h.registry.searchRegisteredModels(.with { $0.filter = filter }).registeredModels.map(\.name)
      }
      let models = try await names("tag.`mlflow.prompt.is_prompt` != 'true'")
      #expect(models == ["Fraud-c", "churn", "fraud-a", "fraud-b"])
      let prompts = try await names("tags.`mlflow.prompt.is_prompt` = 'true'")
      #expect(prompts == ["a-prompt"])
      let risky = try await names("tags.\"team\" = 'risk' AND tag.`mlflow.prompt.is_prompt` != 'true'")
      #expect(risky == ["Fraud-c", "fraud-a", "fraud-b"])
    }
  }

  @Test("pages never repeat or skip a model", arguments: TestBackend.available)
  func paging(backend: TestBackend) async throws {
    try await withModels(backend) { h, _ in
      var seen: [String] = []
      var token = ""
      repeat {
        let page = try await h.registry.searchRegisteredModels(
          .with {
            $0.maxResults = 3
            $0.pageToken = token
          })
        seen += page.registeredModels.map(\.name)
        token = page.nextPageToken
        if seen.count == 3 { _ = try await h.registry.createRegisteredModel(.with { $0.name = "aaa-added-late" }) }
      } while !token.isEmpty
      #expect(seen == ["Fraud-c", "churn", "fraud-a", "fraud-b"])
    }
  }

  @Test("versions filter by model name, run_id, stage and tags")
  func versions() async throws {
    try await withModels(.sqlite) { h, run in
      let other = try await h.run()
      _ = try await h.version("fraud-a", run: run)
      _ = try await h.version("fraud-a", run: other)
      _ = try await h.version("churn", run: run)
      _ = try await h.registry.transitionStage(
        .with {
          $0.name = "fraud-a"
          $0.version = 2
          $0.stage = .staging
        })
      func found(_ filter: String) async throws -> [String] {
        try await h.registry.searchModelVersions(.with { $0.filter = filter }).modelVersions.map { "\($0.name)/\($0.version)" }
      }
      let r7 = try await found("name = 'fraud-a'")
      #expect(r7 == ["fraud-a/2", "fraud-a/1"])
      let r8 = try await found("run_id = '\(run)'")
      #expect(r8 == ["churn/1", "fraud-a/1"])
      let r9 = try await found("stage = 'Staging'")
      #expect(r9 == ["fraud-a/2"])
    }
  }

  @Test("a malformed filter, order_by or token is INVALID_ARGUMENT naming it")
  func refusals() async throws {
    try await withModels(.sqlite) { h, _ in
      await expectStatus(.invalidArgument, naming: "filter: expected name or tags.<key> at position 1") {
        _ = try await h.registry.searchRegisteredModels(.with { $0.filter = "run_id = 'x'" })
      }
      await expectStatus(.invalidArgument, naming: "position 6") {
        _ = try await h.registry.searchRegisteredModels(.with { $0.filter = "name > 'x'" })
      }
      await expectStatus(.invalidArgument, naming: "order_by[0]") {
        _ = try await h.registry.searchRegisteredModels(.with { $0.orderBy = ["size"] })
      }
      await expectStatus(.invalidArgument, naming: "page_token") {
        _ = try await h.registry.searchModelVersions(.with { $0.pageToken = "nope" })
      }
      await expectStatus(.invalidArgument, naming: "max_results") {
        _ = try await h.registry.searchModelVersions(.with { $0.maxResults = 5000 })
      }
    }
  }
}
