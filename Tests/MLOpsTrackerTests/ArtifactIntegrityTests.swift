import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Downloads never send a wrong byte: a blob damaged in its first mebibyte, truncated,
/// missing or symlinked answers DATA_LOSS with no FileInfo and no chunk; damage further in
/// ends the download in DATA_LOSS after the intact mebibytes before it.
@Suite("Artifact integrity")
struct ArtifactIntegrityTests {
  typealias T = ArtifactServiceTests

  /// What a download delivered before it ended, and how it ended.
  static func attempt(_ c: T.Context, _ path: String) async throws -> (messages: Int, error: RPCError?) {
    try await c.tracker.downloadArtifact(
      request: .init(
        message: .with {
          $0.runID = c.runID
          $0.path = path
        })
    ) { response in
      var messages = 0
      do {
        for try await _ in response.messages { messages += 1 }
        return (messages, nil)
      } catch let error as RPCError {
        return (messages, error)
      }
    }
  }

  /// Uploads a file, damages its blob with `damage`, and expects DATA_LOSS before any message.
  func expectDataLoss(reason: String, _ damage: (String) throws -> Void) async throws {
    try await T().withArtifacts(.sqlite) { c in
      let data = T.bytes(200_000)
      let info = try await T.upload(c, "model.onnx", data)
      try damage(c.blobPath(info.sha256))
      let outcome = try await Self.attempt(c, "model.onnx")
      #expect(outcome.messages == 0)
      #expect(outcome.error?.code == .dataLoss)
      #expect(outcome.error?.message.contains(reason) == true)
    }
  }

  @Test("a flipped byte is DATA_LOSS")
  func flippedByte() async throws {
    try await expectDataLoss(reason: "hash") { path in
      var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      bytes[1234] ^= 0xFF
      try bytes.write(to: URL(fileURLWithPath: path))
    }
  }

  @Test("a truncated blob is DATA_LOSS")
  func truncated() async throws {
    try await expectDataLoss(reason: "recorded") { path in
      try Data(contentsOf: URL(fileURLWithPath: path)).prefix(1000).write(to: URL(fileURLWithPath: path))
    }
  }

  @Test("a missing blob is DATA_LOSS")
  func missing() async throws {
    try await expectDataLoss(reason: "missing") { path in try FileManager.default.removeItem(atPath: path) }
  }

  @Test("a blob replaced by a symbolic link is DATA_LOSS even when the target holds the same bytes")
  func symlink() async throws {
    try await expectDataLoss(reason: "symbolic link") { path in
      let outside = path + ".outside"
      try FileManager.default.moveItem(atPath: path, toPath: outside)
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside)
    }
  }

  /// What a download delivered (its chunks' bytes) before it ended, and how it ended.
  static func bytes(_ c: T.Context, _ path: String) async throws -> (data: Data, error: RPCError?) {
    try await c.tracker.downloadArtifact(
      request: .init(
        message: .with {
          $0.runID = c.runID
          $0.path = path
        })
    ) { response in
      var data = Data()
      do {
        for try await message in response.messages { data += message.chunk }
        return (data, nil)
      } catch let error as RPCError {
        return (data, error)
      }
    }
  }

  @Test("a flipped byte past the first mebibyte ends the download in DATA_LOSS after only the intact mebibytes before it")
  func flippedLater() async throws {
    try await T().withArtifacts(.sqlite, maxBytes: 8 << 20) { c in
      let data = T.bytes(3_500_000)
      let info = try await T.upload(c, "big.bin", data, chunk: 1 << 20)
      let path = c.blobPath(info.sha256)
      var stored = try Data(contentsOf: URL(fileURLWithPath: path))
      stored[2_500_000] ^= 0x01
      try stored.write(to: URL(fileURLWithPath: path))
      let outcome = try await Self.bytes(c, "big.bin")
      #expect(outcome.error?.code == .dataLoss)
      #expect(outcome.data == data.prefix(2 << 20), "the two mebibytes before the damaged one, and not a byte more")
    }
  }

  @Test("a blob whose recorded hash states are damaged or lost is hashed whole, downloads intact and gets them back")
  func statesRecovered() async throws {
    try await T().withArtifacts(.sqlite, maxBytes: 8 << 20) { c in
      let data = T.bytes(2_200_000)
      let info = try await T.upload(c, "big.bin", data, chunk: 1 << 20)
      let states = c.blobPath(info.sha256) + ".states"
      let recorded = try Data(contentsOf: URL(fileURLWithPath: states))
      var damaged = recorded
      damaged[100] ^= 0xFF
      try damaged.write(to: URL(fileURLWithPath: states))
      #expect(try await Self.bytes(c, "big.bin") == (data, nil))
      #expect(try Data(contentsOf: URL(fileURLWithPath: states)) == recorded, "rewritten by the whole-blob check")
      try FileManager.default.removeItem(atPath: states)
      #expect(try await Self.bytes(c, "big.bin") == (data, nil))
      #expect(FileManager.default.fileExists(atPath: states))
    }
  }

  @Test("a damaged blob whose states are lost too is DATA_LOSS before any message")
  func damagedWithoutStates() async throws {
    try await expectDataLoss(reason: "hash") { path in
      try FileManager.default.removeItem(atPath: path + ".states")
      var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      bytes[1234] ^= 0xFF
      try bytes.write(to: URL(fileURLWithPath: path))
    }
  }

  @Test("downloading a directory or a missing path, or listing a missing directory, is refused by name")
  func refusals() async throws {
    try await T().withArtifacts(.sqlite) { c in
      try await T.upload(c, "dir/file", Data("x".utf8))
      await T.expectStatus(.invalidArgument, naming: "path: 'dir' is a directory") { _ = try await T.download(c, "dir") }
      await T.expectStatus(.notFound, naming: "path: run '\(c.runID)' has no artifact 'nope'") { _ = try await T.download(c, "nope") }
      await T.expectStatus(.invalidArgument, naming: "path") { _ = try await T.download(c, "../dir/file") }
      await T.expectStatus(.notFound, naming: "no artifact 'ghost'") {
        _ = try await c.tracker.listArtifacts(
          .with {
            $0.runID = c.runID
            $0.path = "ghost"
          })
      }
      await T.expectStatus(.notFound, naming: "run_id") {
        _ = try await c.tracker.listArtifacts(.with { $0.runID = "ghost" })
      }
    }
  }
}
