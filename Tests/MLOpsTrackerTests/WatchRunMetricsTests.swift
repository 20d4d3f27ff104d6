import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// WatchRunMetrics: the history, then points as they are logged, ending when the run ends;
/// resuming from a sequence number skips nothing and repeats nothing.
@Suite("Watching a run's metrics")
struct WatchRunMetricsTests {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  func withRun(_ body: (Client, String) async throws -> Void) async throws {
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { storage in
      let services = try await TrackerRuntime.definition.makeServices(
        storage, try ProcessOptions.parse([]), RPCMetrics().registry, .init(label: "t"))
      try await RunningServer.with(services: services.rpc, fastRoutes: services.fastRoutes) { _, raw in
        let tracker = Client(wrapping: raw)
        let experiment = try await tracker.createExperiment(.with { $0.name = "watch" }).experiment
        let run = try await tracker.createRun(.with { $0.experimentID = experiment.experimentID }).run
        try await body(tracker, run.info.runID)
      }
    }
  }

  func log(_ tracker: Client, _ run: String, _ key: String, _ step: Int64) async throws {
    _ = try await tracker.logMetric(
      .with {
        $0.runID = run
        $0.key = key
        $0.value = Double(step)
        $0.step = step
      })
  }

  func watch(_ tracker: Client, _ run: String, keys: [String] = [], after: Int64 = 0) async throws
    -> [Mlops_Tracker_V1_WatchRunMetricsResponse]
  {
    try await tracker.watchRunMetrics(
      .with {
        $0.runID = run
        $0.metricKeys = keys
        $0.afterSequence = after
      }
    ) { response in
      var received: [Mlops_Tracker_V1_WatchRunMetricsResponse] = []
      for try await message in response.messages { received.append(message) }
      return received
    }
  }

  @Test("a live watcher gets the history and new points in order, and ends with the run")
  func live() async throws {
    try await withRun { tracker, run in
      try await log(tracker, run, "loss", 1)
      try await log(tracker, run, "acc", 1)
      let watcher = Task { try await watch(tracker, run) }
      try await Task.sleep(for: .milliseconds(300))
      try await log(tracker, run, "loss", 2)
      try await log(tracker, run, "loss", 3)
      _ = try await tracker.updateRun(
        .with {
          $0.runID = run
          $0.status = .finished
        })
      let received = try await watcher.value
      #expect(received.map(\.metric.key) == ["loss", "acc", "loss", "loss"])
      #expect(received.map(\.metric.step) == [1, 1, 2, 3])
      #expect(received.map(\.sequence) == received.map(\.sequence).sorted())
      let resumed = try await watch(tracker, run, after: received[1].sequence)
      #expect(resumed.map(\.metric.step) == [2, 3])
      let onlyAcc = try await watch(tracker, run, keys: ["acc"])
      #expect(onlyAcc.map(\.metric.key) == ["acc"])
    }
  }

  @Test("an unknown run is NOT_FOUND and a bad key INVALID_ARGUMENT")
  func errors() async throws {
    try await withRun { tracker, run in
      await #expect { _ = try await watch(tracker, "nope") } throws: { ($0 as? RPCError)?.code == .notFound }
      await #expect { _ = try await watch(tracker, run, keys: ["../x"]) } throws: {
        ($0 as? RPCError)?.code == .invalidArgument && ($0 as? RPCError)?.message.contains("metric_keys[0]") == true
      }
    }
  }
}
