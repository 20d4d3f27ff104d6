import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// Steps 1–3: tracked runs, registered versions, the review.
extension DemoStory {
  /// The two runs' ids: version 1's training (8 features) and version 2's (6 features).
  func trainingRuns() async throws -> (good: String, bad: String) {
    let experiment: String
    do {
      experiment = try await tracker.getExperimentByName(.with { $0.name = "demo" }).experiment.experimentID
    } catch let error as RPCError where error.code == .notFound {
      experiment = try await tracker.createExperiment(.with { $0.name = "demo" }).experiment.experimentID
    }
    let good = try await run(experiment, "logreg-8-features", features: 8, accuracy: DemoModels.accuracies.0)
    let bad = try await run(experiment, "logreg-6-features", features: 6, accuracy: DemoModels.accuracies.1)
    return (good, bad)
  }

  private func run(_ experiment: String, _ runName: String, features: Int, accuracy: Double) async throws -> String {
    let id = try await tracker.createRun(
      .with {
        $0.experimentID = experiment
        $0.runName = runName
      }
    ).run.info.runID
    _ = try await tracker.logBatch(
      .with {
        $0.runID = id
        $0.params = [("model", "LogisticRegression"), ("features", String(features)), ("max_iter", "500")].map { k, v in
          .with {
            $0.key = k
            $0.value = v
          }
        }
        $0.metrics = [
          .with {
            $0.key = "accuracy"
            $0.value = accuracy
            $0.timestamp = .init(date: Date())
          }
        ]
      })
    _ = try await tracker.updateRun(
      .with {
        $0.runID = id
        $0.status = .finished
        $0.endTime = .init(date: Date())
      })
    print("  run \(id) (\(runName)): accuracy \(accuracy), FINISHED")
    return id
  }

  /// Registers both shipped models; returns their version numbers.
  func register(_ runs: (good: String, bad: String)) async throws -> (good: Int64, bad: Int64) {
    do {
      _ = try await registry.createRegisteredModel(.with { $0.name = name })
    } catch let error as RPCError where error.code == .alreadyExists {}
    let good = try await version(run: runs.good, model: DemoModels.version1, width: 8)
    let bad = try await version(run: runs.bad, model: DemoModels.version2, width: 6)
    return (good, bad)
  }

  private func version(run: String, model: String, width: Int64) async throws -> Int64 {
    guard let bytes = Data(base64Encoded: model) else { throw StartupError("the demo's model of \(width) features does not decode") }
    var stream = SHA256Stream()
    stream.update(bytes)
    let digest = stream.hex()
    let created = try await registry.createModelVersion(
      .with {
        $0.name = name
        $0.runID = run
        $0.format = "onnx"
        $0.signature = Self.signature(width: width)
        $0.description_p = "logistic regression on \(width) features"
      }
    ).modelVersion
    let ready = try await RegistryCall.upload(registry, name: name, version: created.version, sha256: digest, size: Int64(bytes.count)) {
      try await $0.write(.with { $0.chunk = bytes })
    }
    guard ready.status == .ready else { throw StartupError("version \(ready.version) is \(ready.status): \(ready.statusMessage)") }
    print("  \(name) version \(ready.version) from run \(run): READY, sha256 \(ready.contentDigest.prefix(12))…")
    return ready.version
  }

  /// X: float [-1, width] in; the class label and both probabilities out.
  static func signature(width: Int64) -> Mlops_Registry_V1_ModelSignature {
    .with {
      $0.inputs = [
        .with {
          $0.name = "X"
          $0.type = .float
          $0.shape = [-1, width]
        }
      ]
      $0.outputs = [
        .with {
          $0.name = "label"
          $0.type = .int64
        },
        .with {
          $0.name = "probabilities"
          $0.type = .float
          $0.shape = [-1, 2]
        },
      ]
    }
  }

  /// Approves, stages to Production and aliases `champion`.
  func approve(_ version: Int64) async throws {
    _ = try await registry.reviewModelVersion(
      .with {
        $0.name = name
        $0.version = version
        $0.decision = .approve
        $0.comment = "accuracy above 0.9 on the holdout"
      })
    let staged = try await registry.transitionStage(
      .with {
        $0.name = name
        $0.version = version
        $0.stage = .production
        $0.archiveExistingVersions = true
      }
    ).modelVersion
    _ = try await registry.setAlias(
      .with {
        $0.name = name
        $0.alias = "champion"
        $0.version = version
      })
    print("  version \(version): review \(staged.reviewState), stage \(staged.stage), alias champion")
  }
}
