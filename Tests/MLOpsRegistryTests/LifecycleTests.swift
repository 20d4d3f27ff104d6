import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Aliases, stages, reviews, the audit trail and the event stream, on both backends.
@Suite("Model lifecycle")
struct LifecycleTests {
  typealias H = RegistryHarness

  /// A model "m" with `count` READY versions.
  func withVersions(_ backend: TestBackend, _ count: Int, _ body: (H) async throws -> Void) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" }, metadata: H.actor("ana"))
      for n in 1...count {
        _ = try await h.version("m", run: run)
        try await h.upload("m", Int64(n))
      }
      try await body(h)
    }
  }

  @Test("an alias points at exactly one version, moves, resolves and deletes", arguments: TestBackend.available)
  func aliases(backend: TestBackend) async throws {
    try await withVersions(backend, 2) { h in
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 1
        })
      #expect(
        try await h.registry.getModelVersionByAlias(
          .with {
            $0.name = "m"
            $0.alias = "champion"
          }
        ).modelVersion.version == 1)
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 2
        })
      let moved = try await h.registry.getModelVersionByAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
        }
      ).modelVersion
      #expect(moved.version == 2 && moved.aliases == ["champion"])
      #expect(
        try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 1
          }
        ).modelVersion.aliases.isEmpty)
      await expectStatus(.notFound, naming: "no version 7") {
        _ = try await h.registry.setAlias(
          .with {
            $0.name = "m"
            $0.alias = "x"
            $0.version = 7
          })
      }
      await expectStatus(.invalidArgument, naming: "alias") {
        _ = try await h.registry.setAlias(
          .with {
            $0.name = "m"
            $0.alias = "v3"
            $0.version = 1
          })
      }
      _ = try await h.registry.deleteAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
        })
      await expectStatus(.notFound, naming: "'champion'") {
        _ = try await h.registry.getModelVersionByAlias(
          .with {
            $0.name = "m"
            $0.alias = "champion"
          })
      }
      await expectStatus(.notFound, naming: "'champion'") {
        _ = try await h.registry.deleteAlias(
          .with {
            $0.name = "m"
            $0.alias = "champion"
          })
      }
    }
  }

  @Test("moving a version to Production with archive_existing archives the one there", arguments: TestBackend.available)
  func stages(backend: TestBackend) async throws {
    try await withVersions(backend, 2) { h in
      _ = try await h.registry.transitionStage(
        .with {
          $0.name = "m"
          $0.version = 1
          $0.stage = .production
        })
      let second = try await h.registry.transitionStage(
        .with {
          $0.name = "m"
          $0.version = 2
          $0.stage = .production
          $0.archiveExistingVersions = true
        })
      #expect(second.modelVersion.stage == .production)
      #expect(
        try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 1
          }
        ).modelVersion.stage == .archived)
      let model = try await h.registry.getRegisteredModel(.with { $0.name = "m" }).registeredModel
      #expect(model.latestVersions.map { [$0.version, Int64($0.stage.rawValue)] } == [[2, 2], [1, 3]])
    }
  }

  @Test("reviews need an identity and summarise to a review state")
  func reviews() async throws {
    try await withVersions(.sqlite, 1) { h in
      await expectStatus(.unauthenticated, naming: "identity") {
        _ = try await h.registry.reviewModelVersion(
          .with {
            $0.name = "m"
            $0.version = 1
            $0.decision = .approve
          })
      }
      await expectStatus(.invalidArgument, naming: "decision") {
        _ = try await h.registry.reviewModelVersion(
          .with {
            $0.name = "m"
            $0.version = 1
          }, metadata: H.actor("bo"))
      }
      let approved = try await h.registry.reviewModelVersion(
        .with {
          $0.name = "m"
          $0.version = 1
          $0.decision = .approve
          $0.comment = "looks good"
        }, metadata: H.actor("bo")
      ).modelVersion
      #expect(approved.reviewState == .approved)
      #expect(approved.reviews.map(\.reviewer) == ["bo"])
      let rejected = try await h.registry.reviewModelVersion(
        .with {
          $0.name = "m"
          $0.version = 1
          $0.decision = .reject
          $0.comment = "bias"
        }, metadata: H.actor("cy")
      ).modelVersion
      #expect(rejected.reviewState == .rejected)
    }
  }

  @Test("every mutation is audited with actor and before → after, filterable by actor and version", arguments: TestBackend.available)
  func audit(backend: TestBackend) async throws {
    try await withVersions(backend, 1) { h in
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 1
        }, metadata: H.actor("bo"))
      let all = try await h.registry.listAuditEvents(.with { $0.modelName = "m" }).events
      #expect(all.map(\.action) == ["CreateRegisteredModel", "CreateModelVersion", "UploadModelArtifact", "SetAlias"])
      #expect(all.map(\.sequence) == all.map(\.sequence).sorted())
      // A whole version is shown with its enums as names, not the stored integers.
      let created = all[1].after
      #expect(created.contains(#""stage":"None""#) && created.contains(#""status":"PENDING_REGISTRATION""#), "\(created)")
      #expect(!created.contains(#""stage":0"#) && !created.contains(#""status":1"#))
      let byBo = try await h.registry.listAuditEvents(.with { $0.actor = "bo" }).events
      #expect(byBo.count == 1 && byBo[0].after == #"{"champion":1}"# && byBo[0].before.isEmpty)
      let page = try await h.registry.listAuditEvents(
        .with {
          $0.modelName = "m"
          $0.version = 1
          $0.page.pageSize = 2
        })
      #expect(page.events.count == 2 && !page.nextPageToken.isEmpty)
      let rest = try await h.registry.listAuditEvents(
        .with {
          $0.modelName = "m"
          $0.version = 1
          $0.page.pageToken = page.nextPageToken
        })
      #expect(rest.events.map(\.action) == ["SetAlias"])
      await expectStatus(.invalidArgument, naming: "page.page_token") {
        _ = try await h.registry.listAuditEvents(.with { $0.page.pageToken = "x" })
      }
      await expectStatus(.invalidArgument, naming: "start_time") {
        _ = try await h.registry.listAuditEvents(
          .with {
            $0.modelName = "m"
            $0.startTime.seconds = Int64.max
          })
      }
      let aliasTime = byBo[0].time
      let since = try await h.registry.listAuditEvents(
        .with {
          $0.modelName = "m"
          $0.startTime = aliasTime
        }
      ).events
      #expect(since.last?.action == "SetAlias" && since.allSatisfy { $0.time.seconds >= aliasTime.seconds })
      let before = try await h.registry.listAuditEvents(
        .with {
          $0.modelName = "m"
          $0.endTime = all[0].time
        }
      ).events
      #expect(before.isEmpty)
      await expectStatus(.invalidArgument, naming: "end_time") {
        _ = try await h.registry.listAuditEvents(
          .with {
            $0.startTime = aliasTime
            $0.endTime = .init(seconds: aliasTime.seconds - 10)
          })
      }
    }
  }

  @Test("WatchModelEvents resumes after the last sequence seen without gaps", arguments: TestBackend.available)
  func watch(backend: TestBackend) async throws {
    try await withVersions(backend, 2) { h in
      let first = try await h.registry.watchModelEvents(
        .with {
          $0.modelName = "m"
          $0.afterSequence = 1
        }
      ) { response in
        var events: [Mlops_Registry_V1_ModelEvent] = []
        for try await event in response.messages {
          events.append(event)
          if events.count == 2 { break }
        }
        return events
      }
      #expect(first.map(\.type) == [.versionCreated, .versionReady])
      _ = try await h.registry.setAlias(
        .with {
          $0.name = "m"
          $0.alias = "champion"
          $0.version = 2
        })
      let resumed = try await h.registry.watchModelEvents(
        .with {
          $0.modelName = "m"
          $0.afterSequence = first.last!.sequence
        }
      ) { response in
        var events: [Mlops_Registry_V1_ModelEvent] = []
        for try await event in response.messages {
          events.append(event)
          if events.count == 3 { break }
        }
        return events
      }
      #expect(resumed.map(\.type) == [.versionCreated, .versionReady, .aliasSet])
      #expect(resumed.last?.alias == "champion" && resumed.last?.version == 2)
    }
  }
}
