import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import SwiftProtobuf
import Testing

/// Runs and logging through the gRPC API, as a training script uses them.
@Suite("Runs over gRPC")
struct RunServiceTests {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  func withRun(_ body: (Client, String) async throws -> Void) async throws {
    try await TestBackend.sqlite.withStorage(migrations: TrackerSchema.migrations) { storage in
      let services = try await TrackerRuntime.definition.makeServices(
        storage, try ProcessOptions.parse([]), RPCMetrics().registry, .init(label: "t"))
      try await RunningServer.with(services: services.rpc, fastRoutes: services.fastRoutes) { _, raw in
        let tracker = Client(wrapping: raw)
        let experiment = try await tracker.createExperiment(.with { $0.name = "churn" }).experiment
        let run = try await tracker.createRun(
          .with {
            $0.experimentID = experiment.experimentID
            $0.runName = "baseline"
            $0.source = .with {
              $0.repository = "git@example.com:ml/churn.git"
              $0.commit = "abc123"
              $0.entryPoint = "train.py"
            }
            $0.environment = .with {
              $0.runtime = "python 3.11"
              $0.packagesDigest = "sha256:ff"
            }
          }
        ).run
        try await body(tracker, run.info.runID)
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

  static func metric(_ key: String, _ value: Double, step: Int64, ms: Int64) -> Mlops_Tracker_V1_Metric {
    .with {
      $0.key = key
      $0.value = value
      $0.step = step
      $0.timestamp = .init(seconds: ms / 1000, nanos: Int32(ms % 1000) * 1_000_000)
    }
  }

  @Test("a training run logs params, metrics and tags and GetRun shows the latest of each")
  func logAndRead() async throws {
    try await withRun { tracker, id in
      _ = try await tracker.logParam(
        .with {
          $0.runID = id
          $0.key = "lr"
          $0.value = "0.01"
        })
      _ = try await tracker.logBatch(
        .with {
          $0.runID = id
          $0.metrics = [
            Self.metric("loss", 0.9, step: 1, ms: 1000), Self.metric("loss", 0.4, step: 2, ms: 2000),
            Self.metric("auc", .nan, step: 0, ms: 500),
          ]
          $0.params = [
            .with {
              $0.key = "depth"
              $0.value = "6"
            }
          ]
          $0.tags = [
            .with {
              $0.key = "stage"
              $0.value = "dev"
            }
          ]
        })
      _ = try await tracker.logMetric(
        .with {
          $0.runID = id
          $0.key = "loss"
          $0.value = 0.3
          $0.step = 3
        })
      _ = try await tracker.updateRun(
        .with {
          $0.runID = id
          $0.status = .finished
          $0.endTime = .init(seconds: 1_800_000_000)
        })
      let run = try await tracker.getRun(.with { $0.runID = id }).run
      #expect(run.info.status == .finished)
      #expect(run.info.runName == "baseline")
      #expect(id.count == 32 && id.allSatisfy { "0123456789abcdef".contains($0) }, "run ids are 32 lowercase hex digits, as MLflow's")
      #expect(run.info.endTime.seconds == 1_800_000_000)
      #expect(run.data.params.map(\.key) == ["depth", "lr"])
      #expect(run.data.metrics.first { $0.key == "loss" }?.value == 0.3)
      #expect(run.data.metrics.first { $0.key == "auc" }?.value.isNaN == true)
      #expect(run.data.tags.map { "\($0.key)=\($0.value)" } == ["mlflow.runName=baseline", "stage=dev"])
      #expect(run.source.commit == "abc123")
      #expect(run.environment.packagesDigest == "sha256:ff")
      let history = try await tracker.getMetricHistory(
        .with {
          $0.runID = id
          $0.metricKey = "loss"
          $0.maxResults = 2
        })
      #expect(history.metrics.map(\.value) == [0.9, 0.4])
      let rest = try await tracker.getMetricHistory(
        .with {
          $0.runID = id
          $0.metricKey = "loss"
          $0.pageToken = history.nextPageToken
        })
      #expect(rest.metrics.map(\.value) == [0.3])
      #expect(rest.nextPageToken.isEmpty)
    }
  }

  @Test("a bad item rejects the whole batch with INVALID_ARGUMENT naming it, and writes nothing")
  func atomicBatch() async throws {
    try await withRun { tracker, id in
      await expectStatus(.invalidArgument, naming: "metrics[1].key") {
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.metrics = [Self.metric("ok", 1, step: 0, ms: 1), Self.metric("../escape", 2, step: 0, ms: 1)]
            $0.params = [
              .with {
                $0.key = "p"
                $0.value = "v"
              }
            ]
          })
      }
      // A time past year 9999 would overflow in milliseconds: refused, not a crash.
      await expectStatus(.invalidArgument, naming: "metrics[1].timestamp") {
        var late = Self.metric("late", 2, step: 0, ms: 1)
        late.timestamp.seconds = Int64.max
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.metrics = [Self.metric("ok", 1, step: 0, ms: 1), late]
          })
      }
      await expectStatus(.invalidArgument, naming: "end_time") {
        _ = try await tracker.updateRun(
          .with {
            $0.runID = id
            $0.status = .finished
            $0.endTime.seconds = -Int64.max
          })
      }
      await expectStatus(.invalidArgument, naming: "params[0].value") {
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.params = [
              .with {
                $0.key = "p"
                $0.value = String(repeating: "x", count: 6001)
              }
            ]
          })
      }
      await expectStatus(.invalidArgument, naming: "metrics") {
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.metrics = (0..<1001).map { Self.metric("m", Double($0), step: Int64($0), ms: 1) }
          })
      }
      _ = try await tracker.logParam(
        .with {
          $0.runID = id
          $0.key = "lr"
          $0.value = "0.1"
        })
      await expectStatus(.invalidArgument, naming: "'lr'") {
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.metrics = [Self.metric("written", 1, step: 0, ms: 1)]
            $0.params = [
              .with {
                $0.key = "lr"
                $0.value = "0.2"
              }
            ]
          })
      }
      let run = try await tracker.getRun(.with { $0.runID = id }).run
      #expect(run.data.metrics.isEmpty)
      #expect(run.data.params.map(\.key) == ["lr"])
    }
  }

  @Test("unknown runs are NOT_FOUND, deleted runs FAILED_PRECONDITION, and bad ids name the field")
  func statuses() async throws {
    try await withRun { tracker, id in
      await expectStatus(.invalidArgument, naming: "run_id") { _ = try await tracker.getRun(.with { $0.runID = "" }) }
      await expectStatus(.notFound, naming: "nope") { _ = try await tracker.getRun(.with { $0.runID = "nope" }) }
      await expectStatus(.notFound, naming: "experiment") { _ = try await tracker.createRun(.with { $0.experimentID = "999" }) }
      await expectStatus(.invalidArgument, naming: "status") { _ = try await tracker.updateRun(.with { $0.runID = id }) }
      await expectStatus(.notFound, naming: "missing") {
        _ = try await tracker.deleteTag(
          .with {
            $0.runID = id
            $0.key = "missing"
          })
      }
      await expectStatus(.failedPrecondition, naming: id) { _ = try await tracker.restoreRun(.with { $0.runID = id }) }
      _ = try await tracker.deleteRun(.with { $0.runID = id })
      await expectStatus(.failedPrecondition, naming: id) {
        _ = try await tracker.logMetric(
          .with {
            $0.runID = id
            $0.key = "m"
            $0.value = 1
          })
      }
      let deleted = try await tracker.getRun(.with { $0.runID = id }).run
      #expect(deleted.info.lifecycleStage == .deleted)
      _ = try await tracker.restoreRun(.with { $0.runID = id })
      _ = try await tracker.logMetric(
        .with {
          $0.runID = id
          $0.key = "m"
          $0.value = 1
        })
      await expectStatus(.invalidArgument, naming: "page_token") {
        _ = try await tracker.getMetricHistory(
          .with {
            $0.runID = id
            $0.metricKey = "m"
            $0.pageToken = "garbage"
          })
      }
    }
  }

  @Test("keys follow MLflow's rule: letters of any script, digits, _ - . / and space, 250 at most, no absolute or '..' path")
  func keyRule() async throws {
    try await withRun { tracker, id in
      let accepted = ["loss", "val/acc 5", "a..b", "..x/y..", "ö_verlust", "損失", "é" + String(repeating: "k", count: 249)]
      for (step, key) in accepted.enumerated() {
        _ = try await tracker.logBatch(
          .with {
            $0.runID = id
            $0.metrics = [Self.metric(key, 1, step: Int64(step), ms: 1)]
          })
      }
      let refused = ["", "/abs", "a/../b", "..", "loss€", "tab\tkey", "semi;colon", String(repeating: "k", count: 251)]
      for key in refused {
        await expectStatus(.invalidArgument, naming: "metrics[1].key") {
          _ = try await tracker.logBatch(
            .with {
              $0.runID = id
              $0.metrics = [Self.metric("fine", 1, step: 0, ms: 1), Self.metric(key, 1, step: 0, ms: 1)]
            })
        }
        await expectStatus(.invalidArgument, naming: "params[0].key") {
          _ = try await tracker.logBatch(
            .with {
              $0.runID = id
              $0.params = [
                .with {
                  $0.key = key
                  $0.value = "v"
                }
              ]
            })
        }
      }
      let run = try await tracker.getRun(.with { $0.runID = id }).run
      #expect(Set(run.data.metrics.map(\.key)) == Set(accepted))
      #expect(run.data.params.isEmpty)
    }
  }

  @Test("datasets logged as inputs come back on the run")
  func inputs() async throws {
    try await withRun { tracker, id in
      _ = try await tracker.logInputs(
        .with {
          $0.runID = id
          $0.datasets = [
            .with {
              $0.dataset = .with {
                $0.name = "train"
                $0.digest = "d1"
                $0.sourceType = "s3"
                $0.source = "s3://b/t.parquet"
              }
              $0.context = "training"
            }
          ]
        })
      await expectStatus(.invalidArgument, naming: "datasets[0].dataset.digest") {
        _ = try await tracker.logInputs(
          .with {
            $0.runID = id
            $0.datasets = [.with { $0.dataset = .with { $0.name = "x" } }]
          })
      }
      let run = try await tracker.getRun(.with { $0.runID = id }).run
      #expect(run.inputs.map(\.context) == ["training"])
      #expect(run.inputs.first?.dataset.source == "s3://b/t.parquet")
    }
  }
}
