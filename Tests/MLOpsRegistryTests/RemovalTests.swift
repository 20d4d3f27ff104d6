import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Renames carry versions, aliases and history along; deletes refuse to pull a model out from
/// under a deployment unless forced; version numbers are never reused.
@Suite("Renaming and deleting")
struct RemovalTests {
  typealias H = RegistryHarness

  @Test("a renamed model keeps its versions, aliases and audit history; a taken name is ALREADY_EXISTS", arguments: TestBackend.available)
  func rename(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "old" })
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "taken" })
      _ = try await h.version("old", run: run)
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "old"
          $0.alias = "champion"
          $0.version = 1
        })
      await expectStatus(.alreadyExists, naming: "'taken'") {
        _ = try await h.registry.renameRegisteredModel(
          .with {
            $0.name = "old"
            $0.newName = "taken"
          })
      }
      let renamed = try await h.registry.renameRegisteredModel(
        .with {
          $0.name = "old"
          $0.newName = "new"
        }
      ).registeredModel
      #expect(renamed.name == "new" && renamed.aliases.map(\.alias) == ["champion"])
      #expect(
        try await h.registry.getModelVersionByAlias(
          .with {
            $0.name = "new"
            $0.alias = "champion"
          }
        ).modelVersion.name == "new")
      await expectStatus(.notFound, naming: "'old'") { _ = try await h.registry.getRegisteredModel(.with { $0.name = "old" }) }
      let history = try await h.registry.listAuditEvents(.with { $0.modelName = "new" }).events.map(\.action)
      #expect(history == ["CreateRegisteredModel", "CreateModelVersion", "SetAlias", "RenameRegisteredModel"])
    }
  }

  @Test("a model with an alias or a Production version is deleted only with force", arguments: TestBackend.available)
  func deleteModel(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      _ = try await h.version("m", run: run)
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 1
        })
      await expectStatus(.failedPrecondition, naming: "alias 'champion'") {
        _ = try await h.registry.deleteRegisteredModel(.with { $0.name = "m" })
      }
      _ = try await h.registry.deleteAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
        })
      _ = try await h.registry.transitionStage(
        .with {
          $0.name = "m"
          $0.version = 1
          $0.stage = .production
        })
      await expectStatus(.failedPrecondition, naming: "Production") {
        _ = try await h.registry.deleteRegisteredModel(.with { $0.name = "m" })
      }
      #expect(
        try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 1
          }
        ).modelVersion.stage == .production)
      _ = try await h.registry.deleteRegisteredModel(
        .with {
          $0.name = "m"
          $0.force = true
        })
      await expectStatus(.notFound, naming: "'m'") { _ = try await h.registry.getRegisteredModel(.with { $0.name = "m" }) }
      let history = try await h.registry.listAuditEvents(.with { $0.modelName = "m" }).events.map(\.action)
      #expect(history.last == "DeleteRegisteredModel")
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      #expect(try await h.version("m", run: run).version == 1)
    }
  }

  @Test("a version in use is kept; a deleted version's number is not given again", arguments: TestBackend.available)
  func deleteVersion(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      _ = try await h.version("m", run: run)
      _ = try await h.version("m", run: run)
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 2
        })
      await expectStatus(.failedPrecondition, naming: "alias 'champion'") {
        _ = try await h.registry.deleteModelVersion(
          .with {
            $0.name = "m"
            $0.version = 2
          })
      }
      _ = try await h.registry.deleteAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
        })
      _ = try await h.registry.deleteModelVersion(
        .with {
          $0.name = "m"
          $0.version = 2
        })
      await expectStatus(.notFound, naming: "no version 2") {
        _ = try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 2
          })
      }
      #expect(try await h.version("m", run: run).version == 3)
    }
  }
}
