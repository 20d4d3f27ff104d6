import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Registering a model from a tracker run through to a verified, runnable artifact, on both
/// backends, with a real tracker behind the registry.
@Suite("Model registration")
struct RegistrationTests {
  typealias H = RegistryHarness

  @Test(
    "a version snapshots its run, becomes READY once the runtime accepts its ONNX, and downloads intact", arguments: TestBackend.available)
  func register(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(
        .with {
          $0.name = "churn"
          $0.description_p = "weekly"
        }, metadata: H.actor("ana"))
      let created = try await h.version("churn", run: run)
      #expect(created.version == 1)
      #expect(created.status == .pendingRegistration)
      #expect(created.runMetrics == ["auc": 0.91])
      #expect(created.runParams == ["C": "1.0"])
      #expect(created.createdBy == "ana")
      let ready = try await h.upload("churn", 1)
      #expect(ready.status == .ready)
      #expect(ready.sizeBytes == Int64(H.onnx.count))
      #expect(ready.contentDigest.count == 64)
      let (header, bytes) = try await h.download("churn", 1)
      #expect(bytes == H.onnx)
      #expect(header?.expectedSha256 == ready.contentDigest)
      let model = try await h.registry.getRegisteredModel(.with { $0.name = "churn" }).registeredModel
      #expect(model.latestVersions.map(\.version) == [1])
      #expect(model.description_p == "weekly")
    }
  }

  @Test("16 concurrent CreateModelVersion calls get versions 1…16", arguments: TestBackend.available)
  func concurrentVersions(backend: TestBackend) async throws {
    try await H.with(backend) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
        for _ in 0..<16 { group.addTask { try await h.version("m", run: run).version } }
        return try await group.reduce(into: []) { $0.append($1) }
      }
      #expect(numbers.sorted() == Array(1...16))
    }
  }

  @Test("an unknown run is FAILED_PRECONDITION, an unreachable tracker UNAVAILABLE, and neither writes anything")
  func trackerChecks() async throws {
    try await H.with(.sqlite) { h in
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      await expectStatus(.failedPrecondition, naming: "run_id") { _ = try await h.version("m", run: "no-such-run") }
      // The tracker's own refusal of the id is relayed, not reported as the tracker being down.
      await expectStatus(.invalidArgument, naming: "run_id") { _ = try await h.version("m", run: String(repeating: "r", count: 300)) }
      let model = try await h.registry.getRegisteredModel(.with { $0.name = "m" }).registeredModel
      #expect(model.latestVersions.isEmpty)
    }
    try await H.with(.sqlite, trackerReachable: false) { h in
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      await expectStatus(.unavailable, naming: "tracker") { _ = try await h.version("m", run: "any") }
      await expectStatus(.notFound, naming: "'ghost'") { _ = try await h.version("ghost", run: "any") }
      let audit = try await h.registry.listAuditEvents(.with { $0.modelName = "m" }).events
      #expect(audit.map(\.action) == ["CreateRegisteredModel"])
    }
  }

  @Test("an artifact the runtime rejects, or whose graph disagrees with the signature, fails the registration with the reason")
  func rejectedArtifacts() async throws {
    try await H.with(.sqlite) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      _ = try await h.version("m", run: run)
      await expectStatus(.failedPrecondition, naming: "not an ONNX model") { try await h.upload("m", 1, Data("hello".utf8)) }
      let failed = try await h.registry.getModelVersion(
        .with {
          $0.name = "m"
          $0.version = 1
        }
      ).modelVersion
      #expect(failed.status == .failedRegistration)
      #expect(failed.statusMessage.contains("not an ONNX model"))
      let wrong = Mlops_Registry_V1_ModelSignature.with {
        $0.inputs = [
          .with {
            $0.name = "features"
            $0.type = .float
          }
        ]
      }
      _ = try await h.version("m", run: run, signature: wrong)
      await expectStatus(.failedPrecondition, naming: "input 'X'") { try await h.upload("m", 2) }
      // The graph takes 8 features: a 12-feature signature (or another rank) is refused too.
      let wider = Mlops_Registry_V1_ModelSignature.with {
        $0.inputs = [
          .with {
            $0.name = "X"
            $0.type = .float
            $0.shape = [-1, 12]
          }
        ]
      }
      _ = try await h.version("m", run: run, signature: wider)
      await expectStatus(.failedPrecondition, naming: "has 8 in dimension 1 in the graph but 12") { try await h.upload("m", 3) }
      let deeper = Mlops_Registry_V1_ModelSignature.with {
        $0.inputs = [
          .with {
            $0.name = "X"
            $0.type = .float
            $0.shape = [-1, 8, 1]
          }
        ]
      }
      _ = try await h.version("m", run: run, signature: deeper)
      await expectStatus(.failedPrecondition, naming: "rank 2 in the graph but 3") { try await h.upload("m", 4) }
      // A failed registration can be retried with the right bytes.
      #expect(try await h.upload("m", 1).status == .ready)
      await expectStatus(.failedPrecondition, naming: "already has its artifact") { try await h.upload("m", 1) }
    }
  }

  @Test("a corrupted blob answers DATA_LOSS and never sends bytes")
  func corruption() async throws {
    try await H.with(.sqlite) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      _ = try await h.version("m", run: run)
      let digest = try await h.upload("m", 1).contentDigest
      let path = "\(h.artifactRoot)/sha256/\(digest.prefix(2))/\(digest)"
      var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      bytes[10] ^= 0x01
      try bytes.write(to: URL(fileURLWithPath: path))
      await expectStatus(.dataLoss, naming: digest) { _ = try await h.download("m", 1) }
    }
  }

  @Test("an MLflow model is registered by its source, ready at once; a source is refused for other formats and required for it")
  func mlflowFormat() async throws {
    try await H.with(.sqlite) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      let version = try await h.registry.createModelVersion(
        .with {
          $0.name = "m"
          $0.runID = run
          $0.format = "mlflow"
          $0.source = "runs:/\(run)/model"
        }
      ).modelVersion
      #expect(version.status == .ready && version.source == "runs:/\(run)/model" && version.format == "mlflow")
      let read = try await h.registry.getModelVersion(
        .with {
          $0.name = "m"
          $0.version = version.version
        }
      ).modelVersion
      #expect(read.source == version.source)
      await expectStatus(.invalidArgument, naming: "source") {
        _ = try await h.registry.createModelVersion(
          .with {
            $0.name = "m"
            $0.runID = run
            $0.format = "mlflow"
          })
      }
      await expectStatus(.invalidArgument, naming: "source") {
        _ = try await h.registry.createModelVersion(
          .with {
            $0.name = "m"
            $0.runID = run
            $0.format = "onnx"
            $0.source = "runs:/\(run)/model"
          })
      }
    }
  }

  @Test("model and version tags are deleted by key; a key not there changes nothing; a bad key names the field")
  func deleteTags() async throws {
    try await H.with(.sqlite) { h in
      let run = try await h.run()
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      let version = try await h.registry.createModelVersion(
        .with {
          $0.name = "m"
          $0.runID = run
          $0.format = "mlflow"
          $0.source = "runs:/\(run)/model"
        }
      ).modelVersion.version
      for key in ["a", "b"] {
        _ = try await h.registry.setRegisteredModelTag(
          .with {
            $0.name = "m"
            $0.key = key
            $0.value = "1"
          })
        _ = try await h.registry.setModelVersionTag(
          .with {
            $0.name = "m"
            $0.version = version
            $0.key = key
            $0.value = "1"
          })
      }
      for key in ["a", "missing"] {
        _ = try await h.registry.deleteRegisteredModelTag(
          .with {
            $0.name = "m"
            $0.key = key
          })
        _ = try await h.registry.deleteModelVersionTag(
          .with {
            $0.name = "m"
            $0.version = version
            $0.key = key
          })
      }
      let model = try await h.registry.getRegisteredModel(.with { $0.name = "m" }).registeredModel
      #expect(model.tags.map(\.key) == ["b"])
      let read = try await h.registry.getModelVersion(
        .with {
          $0.name = "m"
          $0.version = version
        }
      ).modelVersion
      #expect(read.tags.map(\.key) == ["b"])
      await expectStatus(.invalidArgument, naming: "tag.key") {
        _ = try await h.registry.deleteRegisteredModelTag(.with { $0.name = "m" })
      }
      await expectStatus(.notFound, naming: "'ghost'") {
        _ = try await h.registry.deleteRegisteredModelTag(
          .with {
            $0.name = "ghost"
            $0.key = "a"
          })
      }
    }
  }

  @Test("bad requests are INVALID_ARGUMENT naming the field, unknown names NOT_FOUND, taken names ALREADY_EXISTS")
  func badRequests() async throws {
    try await H.with(.sqlite) { h in
      let run = try await h.run()
      await expectStatus(.invalidArgument, naming: "name") { _ = try await h.registry.createRegisteredModel(.with { $0.name = "" }) }
      await expectStatus(.invalidArgument, naming: "tags[0].key") {
        _ = try await h.registry.createRegisteredModel(
          .with {
            $0.name = "x"
            $0.tags = [.with { $0.value = "v" }]
          })
      }
      _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
      await expectStatus(.alreadyExists, naming: "'m'") { _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" }) }
      await expectStatus(.notFound, naming: "'ghost'") { _ = try await h.registry.getRegisteredModel(.with { $0.name = "ghost" }) }
      await expectStatus(.invalidArgument, naming: "format") {
        _ = try await h.registry.createModelVersion(
          .with {
            $0.name = "m"
            $0.runID = run
            $0.format = "pickle"
          })
      }
      await expectStatus(.invalidArgument, naming: "signature.inputs[1].name") {
        _ = try await h.version(
          "m", run: run,
          signature: .with {
            $0.inputs = [
              .with {
                $0.name = "a"
                $0.type = .float
              },
              .with {
                $0.name = "a"
                $0.type = .float
              },
            ]
          })
      }
      await expectStatus(.invalidArgument, naming: "signature.inputs[0].type") {
        _ = try await h.version("m", run: run, signature: .with { $0.inputs = [.with { $0.name = "a" }] })
      }
      await expectStatus(.invalidArgument, naming: "run_id") { _ = try await h.version("m", run: "") }
      await expectStatus(.notFound, naming: "no version 9") {
        _ = try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 9
          })
      }
      await expectStatus(.invalidArgument, naming: "version") {
        _ = try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 0
          })
      }
      let model = try await h.registry.getRegisteredModel(.with { $0.name = "m" }).registeredModel
      #expect(model.latestVersions.isEmpty)
    }
  }
}
