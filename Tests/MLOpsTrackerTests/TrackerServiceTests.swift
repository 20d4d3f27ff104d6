import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

@Suite("TrackerService over gRPC")
struct TrackerServiceTests {

  func withTracker(_ body: (Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>) async throws -> Void)
    async throws
  {
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { storage in
      let services = try await TrackerRuntime.definition.makeServices(
        storage, try ProcessOptions.parse([]), RPCMetrics().registry, .init(label: "t"))
      try await RunningServer.with(services: services.rpc, fastRoutes: services.fastRoutes) { _, client in
        try await body(Mlops_Tracker_V1_TrackerService.Client(wrapping: client))
      }
    }
  }

  func expectStatus(_ code: RPCError.Code, naming field: String, _ call: () async throws -> Void) async {
    await #expect {
      try await call()
    } throws: { error in
      guard let error = error as? RPCError else { return false }
      return error.code == code && error.message.contains(field)
    }
  }

  @Test("an experiment is created and read back by id and by name")
  func createAndGet() async throws {
    try await withTracker { tracker in
      let created = try await tracker.createExperiment(
        .with {
          $0.name = "churn"
          $0.description_p = "weekly churn model"
          $0.tags = [
            .with {
              $0.key = "team"
              $0.value = "ml"
            }
          ]
        }
      ).experiment
      #expect(created.name == "churn")
      #expect(!created.experimentID.isEmpty)
      #expect(created.artifactLocation == "mlops-artifacts:/\(created.experimentID)")
      #expect(created.lifecycleStage == .active)
      #expect(created.creationTime.seconds > 1_600_000_000)
      let byID = try await tracker.getExperiment(.with { $0.experimentID = created.experimentID }).experiment
      let byName = try await tracker.getExperimentByName(.with { $0.name = "churn" }).experiment
      #expect(byID == created)
      #expect(byName == created)
      #expect(byID.tags.map(\.key) == ["team"])
    }
  }

  @Test("bad input gets INVALID_ARGUMENT naming the field and creates nothing")
  func badInput() async throws {
    try await withTracker { tracker in
      await expectStatus(.invalidArgument, naming: "name") {
        _ = try await tracker.createExperiment(.with { $0.name = "  " })
      }
      await expectStatus(.invalidArgument, naming: "name") {
        _ = try await tracker.createExperiment(.with { $0.name = String(repeating: "x", count: 501) })
      }
      await #expect {
        _ = try await tracker.createExperiment(
          .with {
            $0.name = "tagged"
            $0.tags = [.with { $0.key = "ok" }, .with { $0.key = "" }]
          })
      } throws: { error in
        guard let error = error as? RPCError, error.code == .invalidArgument,
          let details = Mlops_Common_V1_ErrorDetails(from: error.metadata)
        else { return false }
        return error.message.contains("tags[1].key") && details.violations.map(\.field) == ["tags[1].key"]
      }
      await expectStatus(.invalidArgument, naming: "experiment_id") {
        _ = try await tracker.getExperiment(.with { $0.experimentID = "abc" })
      }
      await expectStatus(.notFound, naming: "tagged") {
        _ = try await tracker.getExperimentByName(.with { $0.name = "tagged" })
      }
    }
  }

  @Test("a taken name is ALREADY_EXISTS and an unknown id NOT_FOUND")
  func conflicts() async throws {
    try await withTracker { tracker in
      _ = try await tracker.createExperiment(.with { $0.name = "churn" })
      await expectStatus(.alreadyExists, naming: "churn") {
        _ = try await tracker.createExperiment(.with { $0.name = "churn" })
      }
      await expectStatus(.notFound, naming: "999") {
        _ = try await tracker.getExperiment(.with { $0.experimentID = "999" })
      }
    }
  }
}
