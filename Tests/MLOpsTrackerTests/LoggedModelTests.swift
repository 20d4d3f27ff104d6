import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Logged models (MLflow 3's LoggedModel) through the gRPC API, on SQLite and PostgreSQL.
@Suite("Logged models")
struct LoggedModelTests {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  func withRun(_ backend: TestBackend, _ body: (Client, Mlops_Tracker_V1_Run) async throws -> Void) async throws {
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      let services = try await TrackerRuntime.definition.makeServices(
        storage, try ProcessOptions.parse([]), RPCMetrics().registry, .init(label: "t"))
      try await RunningServer.with(services: services.rpc, fastRoutes: services.fastRoutes) { _, raw in
        let tracker = Client(wrapping: raw)
        let experiment = try await tracker.createExperiment(.with { $0.name = "churn" }).experiment
        let run = try await tracker.createRun(.with { $0.experimentID = experiment.experimentID }).run
        try await body(tracker, run)
      }
    }
  }

  func create(_ tracker: Client, _ run: Mlops_Tracker_V1_Run, name: String) async throws -> Mlops_Tracker_V1_LoggedModel {
    try await tracker.createLoggedModel(
      .with {
        $0.experimentID = run.info.experimentID
        $0.sourceRunID = run.info.runID
        $0.name = name
        $0.modelType = "classifier"
        $0.tags = [
          .with {
            $0.key = "flavor"
            $0.value = "sklearn"
          }
        ]
        $0.params = [
          .with {
            $0.key = "C"
            $0.value = "1.0"
          }
        ]
      }
    ).model
  }

  @Test(
    "a model is created PENDING from its run, finalized READY, tagged, found by name and run, and deleted", arguments: TestBackend.available
  )
  func lifecycle(backend: TestBackend) async throws {
    try await withRun(backend) { tracker, run in
      let model = try await create(tracker, run, name: "model")
      #expect(model.modelID.hasPrefix("m-") && model.modelID.count == 34 && model.status == .pending)
      #expect(
        model.artifactPath == ".models/\(model.modelID)" && model.params.map(\.value) == ["1.0"] && model.sourceRunID == run.info.runID)
      let ready = try await tracker.finalizeLoggedModel(
        .with {
          $0.modelID = model.modelID
          $0.status = .ready
        }
      ).model
      #expect(ready.status == .ready)
      _ = try await tracker.setLoggedModelTags(
        .with {
          $0.modelID = model.modelID
          $0.tags = [
            .with {
              $0.key = "stage"
              $0.value = "dev"
            }
          ]
        })
      let read = try await tracker.getLoggedModel(.with { $0.modelID = model.modelID }).model
      #expect(read.tags.map(\.key) == ["flavor", "stage"] && read.status == .ready && read.modelType == "classifier")
      let other = try await create(tracker, run, name: "other")
      func found(name: String = "", run runID: String = "") async throws -> [String] {
        try await tracker.searchLoggedModels(
          .with {
            $0.experimentIds = [run.info.experimentID]
            $0.name = name
            $0.sourceRunID = runID
          }
        ).models.map(\.modelID)
      }
      #expect(try await found() == [model.modelID, other.modelID])
      #expect(try await found(name: "other") == [other.modelID])
      #expect(try await found(run: run.info.runID) == [model.modelID, other.modelID])
      #expect(try await found(run: "nope").isEmpty)
      _ = try await tracker.deleteLoggedModel(.with { $0.modelID = model.modelID })
      #expect(try await found() == [other.modelID])
      await expectStatus(.notFound, naming: "model_id") { _ = try await tracker.getLoggedModel(.with { $0.modelID = model.modelID }) }
    }
  }

  @Test("pages of one walk every model once, oldest first", arguments: TestBackend.available)
  func paging(backend: TestBackend) async throws {
    try await withRun(backend) { tracker, run in
      var made: [String] = []
      for index in 0..<5 { made.append(try await create(tracker, run, name: "m\(index)").modelID) }
      var seen: [String] = []
      var token = ""
      repeat {
        let page = try await tracker.searchLoggedModels(
          .with {
            $0.experimentIds = [run.info.experimentID]
            $0.maxResults = 2
            $0.pageToken = token
          })
        seen += page.models.map(\.modelID)
        token = page.nextPageToken
      } while !token.isEmpty
      #expect(seen == made)
    }
  }

  @Test("bad requests name the field and store nothing")
  func refusals() async throws {
    try await withRun(.sqlite) { tracker, run in
      await expectStatus(.invalidArgument, naming: "source_run_id") {
        _ = try await tracker.createLoggedModel(.with { $0.experimentID = run.info.experimentID })
      }
      await expectStatus(.notFound, naming: "run_id") {
        _ = try await tracker.createLoggedModel(
          .with {
            $0.experimentID = run.info.experimentID
            $0.sourceRunID = "ghost"
          })
      }
      await expectStatus(.invalidArgument, naming: "experiment_id") {
        _ = try await tracker.createLoggedModel(
          .with {
            $0.experimentID = "x"
            $0.sourceRunID = run.info.runID
          })
      }
      let model = try await create(tracker, run, name: "model")
      await expectStatus(.invalidArgument, naming: "status") {
        _ = try await tracker.finalizeLoggedModel(
          .with {
            $0.modelID = model.modelID
            $0.status = .pending
          })
      }
      await expectStatus(.invalidArgument, naming: "page_token") {
        _ = try await tracker.searchLoggedModels(
          .with {
            $0.experimentIds = [run.info.experimentID]
            $0.pageToken = "garbage!"
          })
      }
      await expectStatus(.invalidArgument, naming: "experiment_ids") { _ = try await tracker.searchLoggedModels(.init()) }
      let all = try await tracker.searchLoggedModels(.with { $0.experimentIds = [run.info.experimentID] }).models
      #expect(all.map(\.modelID) == [model.modelID])
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
}
