import Foundation
import GRPCCore
import MLOpsProto
import MLOpsTestSupport
import Testing

/// Uploading bytes that are already stored, under the digest the client promises: compared
/// with the stored blob instead of written again, yet a damaged stored blob is still
/// replaced, and bytes that break their promise change nothing.
@Suite("Artifacts uploaded again")
struct ArtifactReuseTests {
  typealias H = RegistryHarness

  /// Registers "m" with `versions` pending versions and uploads version 1; returns its digest.
  func prepare(_ h: H, versions: Int) async throws -> String {
    let run = try await h.run()
    _ = try await h.registry.createRegisteredModel(.with { $0.name = "m" })
    for _ in 0..<versions { _ = try await h.version("m", run: run) }
    return try await h.upload("m", 1).contentDigest
  }

  func blobPath(_ h: H, _ digest: String) -> String { "\(h.artifactRoot)/sha256/\(digest.prefix(2))/\(digest)" }

  func inode(_ path: String) throws -> UInt64 {
    try (FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
  }

  /// Files left in `incoming/` other than states files on their way in: a partial upload.
  func leftovers(_ h: H) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: "\(h.artifactRoot)/incoming").filter { !$0.hasSuffix(".states") }
  }

  @Test("identical bytes under their digest are compared with the stored blob, not written again")
  func identicalIsNotRewritten() async throws {
    try await H.with(.sqlite) { h in
      let digest = try await prepare(h, versions: 2)
      let before = try inode(blobPath(h, digest))
      let second = try await h.upload("m", 2, expected: digest)
      #expect(second.status == .ready && second.contentDigest == digest)
      #expect(try inode(blobPath(h, digest)) == before, "the stored blob was written again")
      #expect(try await h.download("m", 2).data == H.onnx)
      #expect(try leftovers(h).isEmpty)
    }
  }

  @Test("a damaged stored blob is replaced by a good upload of the same bytes", arguments: ["flipped", "truncated", "extended"])
  func damagedIsReplaced(damage: String) async throws {
    try await H.with(.sqlite) { h in
      let digest = try await prepare(h, versions: 2)
      let path = blobPath(h, digest)
      var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
      switch damage {
      case "flipped": bytes[bytes.count / 2] ^= 0x01
      case "truncated": bytes.removeLast()
      default: bytes.append(0)
      }
      try bytes.write(to: URL(fileURLWithPath: path))
      #expect(try await h.upload("m", 2, expected: digest).status == .ready)
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == H.onnx)
      #expect(try await h.download("m", 1).data == H.onnx)
      #expect(try leftovers(h).isEmpty)
    }
  }

  @Test("bytes that differ from the stored blob whose digest they claim are DATA_LOSS and change nothing")
  func brokenPromise() async throws {
    try await H.with(.sqlite) { h in
      let digest = try await prepare(h, versions: 2)
      let before = try inode(blobPath(h, digest))
      var other = H.onnx
      other[other.count / 2] ^= 0x01
      await expectStatus(.dataLoss, naming: "header.expected_sha256") { try await h.upload("m", 2, other, expected: digest) }
      #expect(try inode(blobPath(h, digest)) == before)
      #expect(try await h.download("m", 1).data == H.onnx)
      #expect(
        try await h.registry.getModelVersion(
          .with {
            $0.name = "m"
            $0.version = 2
          }
        ).modelVersion.status == .pendingRegistration)
      #expect(try leftovers(h).isEmpty)
    }
  }
}
