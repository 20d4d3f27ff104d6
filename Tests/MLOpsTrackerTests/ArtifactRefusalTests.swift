import Foundation
import GRPCCore
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Every way an artifact call is refused: the right status, a message naming the field, and
/// nothing stored — no listed path, no blob, no leftover partial upload.
@Suite("Artifact refusals")
struct ArtifactRefusalTests {
  typealias T = ArtifactServiceTests
  struct Interrupted: Error {}

  /// Nothing visible: an empty root listing, no blob, no partial upload.
  static func expectNothingStored(_ c: T.Context) async throws {
    #expect(try await c.tracker.listArtifacts(.with { $0.runID = c.runID }).files.isEmpty)
    #expect(c.storedFiles("sha256").isEmpty)
    #expect(c.storedFiles("incoming").isEmpty)
  }

  @Test("paths that are absolute, climb with '..', or are malformed are INVALID_ARGUMENT naming header.path")
  func badPaths() async throws {
    try await T().withArtifacts(.sqlite) { c in
      for path in ["../escape", "a/../../escape", "/etc/passwd", "a//b", "dir/", "./a", "a\\..\\b", "", "bad\u{0}name"] {
        await T.expectStatus(.invalidArgument, naming: "header.path") {
          try await T.upload(c, path, Data("x".utf8))
        }
      }
      try await Self.expectNothingStored(c)
    }
  }

  @Test("an upload must start with exactly one header")
  func headerProtocol() async throws {
    try await T().withArtifacts(.sqlite) { c in
      await T.expectStatus(.invalidArgument, naming: "header") {
        _ = try await c.tracker.uploadArtifact { try await $0.write(.with { $0.chunk = Data("x".utf8) }) }
      }
      await T.expectStatus(.invalidArgument, naming: "header: sent twice") {
        _ = try await c.tracker.uploadArtifact { writer in
          try await writer.write(
            .with {
              $0.header = .with {
                $0.runID = c.runID
                $0.path = "a"
              }
            })
          try await writer.write(.with { $0.chunk = Data("x".utf8) })
          try await writer.write(
            .with {
              $0.header = .with {
                $0.runID = c.runID
                $0.path = "b"
              }
            })
        }
      }
      try await Self.expectNothingStored(c)
    }
  }

  @Test("an upload over the size limit is RESOURCE_EXHAUSTED, declared or not, and leaves nothing")
  func sizeLimit() async throws {
    try await T().withArtifacts(.sqlite, maxBytes: 1000) { c in
      await T.expectStatus(.resourceExhausted, naming: "limit of 1000 bytes") {
        try await T.upload(c, "big.bin", T.bytes(1001), chunk: 300)
      }
      await T.expectStatus(.resourceExhausted, naming: "header.size_bytes") {
        try await T.upload(c, "big.bin", T.bytes(10), declared: 5000)
      }
      await T.expectStatus(.invalidArgument, naming: "header.size_bytes: declared 20 bytes but 10 arrived") {
        try await T.upload(c, "short.bin", T.bytes(10), declared: 20)
      }
      await T.expectStatus(.invalidArgument, naming: "header.size_bytes") {
        try await T.upload(c, "neg.bin", T.bytes(10), declared: -1)
      }
      try await Self.expectNothingStored(c)
      #expect(try await T.upload(c, "fits.bin", T.bytes(1000)).sizeBytes == 1000)
    }
  }

  @Test("bytes that do not hash to expected_sha256 are DATA_LOSS and are not stored")
  func digestMismatch() async throws {
    try await T().withArtifacts(.sqlite) { c in
      let data = T.bytes(5000)
      await T.expectStatus(.dataLoss, naming: "header.expected_sha256") {
        try await T.upload(c, "model.onnx", data, expected: T.sha256(T.bytes(5000, seed: 2)))
      }
      await T.expectStatus(.invalidArgument, naming: "header.expected_sha256") {
        try await T.upload(c, "model.onnx", data, expected: "abc")
      }
      try await Self.expectNothingStored(c)
    }
  }

  @Test("unknown, unnamed and deleted runs refuse uploads")
  func runs() async throws {
    try await T().withArtifacts(.sqlite) { c in
      await T.expectStatus(.notFound, naming: "ghost") { try await T.upload(c, "a", Data(), runID: "ghost") }
      await T.expectStatus(.invalidArgument, naming: "header.run_id") { try await T.upload(c, "a", Data(), runID: "") }
      _ = try await c.tracker.deleteRun(.with { $0.runID = c.runID })
      await T.expectStatus(.failedPrecondition, naming: "deleted") { try await T.upload(c, "a", Data()) }
      _ = try await c.tracker.restoreRun(.with { $0.runID = c.runID })
      try await Self.expectNothingStored(c)
    }
  }

  @Test("a file where a directory is, or under a file, is FAILED_PRECONDITION naming header.path")
  func conflicts() async throws {
    try await T().withArtifacts(.sqlite) { c in
      try await T.upload(c, "model/a", Data("1".utf8))
      await T.expectStatus(.failedPrecondition, naming: "header.path") { try await T.upload(c, "model", Data("2".utf8)) }
      await T.expectStatus(.failedPrecondition, naming: "'model/a' is a file") { try await T.upload(c, "model/a/b", Data("3".utf8)) }
      let root = try await c.tracker.listArtifacts(.with { $0.runID = c.runID })
      #expect(root.files.map(\.path) == ["model"])
    }
  }

  @Test("a client that stops mid-upload leaves nothing visible and no partial file")
  func interrupted() async throws {
    try await T().withArtifacts(.sqlite) { c in
      await #expect(throws: (any Error).self) {
        _ = try await c.tracker.uploadArtifact { writer in
          try await writer.write(
            .with {
              $0.header = .with {
                $0.runID = c.runID
                $0.path = "half.bin"
              }
            })
          try await writer.write(.with { $0.chunk = T.bytes(100_000) })
          throw Interrupted()
        }
      }
      // The server notices the reset asynchronously; give it a moment to clean up.
      for _ in 0..<1500 where !c.storedFiles("incoming").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
      try await Self.expectNothingStored(c)
    }
  }
}
