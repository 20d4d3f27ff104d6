import Crypto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import MLOpsCore
import MLOpsProto
import MLOpsTestSupport
import MLOpsTracker
import Testing

/// Artifacts through the gRPC API on both backends, with the blobs in a real directory:
/// uploads that land whole or not at all, listings, verified downloads, and every refusal.
@Suite("Artifacts over gRPC")
struct ArtifactServiceTests {
  typealias Client = Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix>

  struct Context {
    let tracker: Client
    let runID: String
    let blobRoot: String

    /// Every file under the blob root's `sha256/` or `incoming/` directory but the hash
    /// states recorded beside blobs.
    func storedFiles(_ area: String) -> [String] {
      let base = blobRoot + "/" + area
      let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
      return all.filter { !isDirectory(base + "/" + $0) && !$0.hasSuffix(".states") }
    }

    func isDirectory(_ path: String) -> Bool {
      var flag: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
    }

    func blobPath(_ sha256: String) -> String { "\(blobRoot)/sha256/\(sha256.prefix(2))/\(sha256)" }
  }

  func withArtifacts(
    _ backend: TestBackend, maxBytes: Int64 = 1 << 20, pageSize: Int = 1000, _ body: (Context) async throws -> Void
  ) async throws {
    let root = try TemporaryDirectory.make()
    defer { TemporaryDirectory.remove(root) }
    try await backend.withStorage(migrations: TrackerSchema.migrations) { storage in
      var options = try ProcessOptions.parse([])
      options.artifactRoot = root
      options.maxArtifactBytes = maxBytes
      let service = try TrackerRuntime.service(storage: storage, options: options, logger: Logger(label: "t"), artifactPageSize: pageSize)
      try await RunningServer.with(services: [service]) { _, raw in
        let client = Client(wrapping: raw)
        let experiment = try await client.createExperiment(.with { $0.name = "e" }).experiment
        let run = try await client.createRun(.with { $0.experimentID = experiment.experimentID }).run
        try await body(Context(tracker: client, runID: run.info.runID, blobRoot: root))
      }
    }
  }

  static func sha256(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }

  static func bytes(_ count: Int, seed: UInt8 = 1) -> Data {
    Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
  }

  /// Uploads `data` in chunks of `chunk` bytes.
  @discardableResult
  static func upload(
    _ c: Context, _ path: String, _ data: Data, chunk: Int = 64 * 1024, expected: String = "", declared: Int64 = 0,
    runID: String? = nil
  ) async throws -> Mlops_Tracker_V1_FileInfo {
    let run = runID ?? c.runID
    return try await c.tracker.uploadArtifact { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.runID = run
            $0.path = path
            $0.expectedSha256 = expected
            $0.sizeBytes = declared
          }
        })
      var offset = 0
      while offset < data.count {
        let end = min(offset + chunk, data.count)
        try await writer.write(.with { $0.chunk = data.subdata(in: offset..<end) })
        offset = end
      }
    }.file
  }

  /// Downloads a file: its FileInfo (nil if none came) and the bytes received before the end.
  static func download(_ c: Context, _ path: String) async throws -> (info: Mlops_Tracker_V1_FileInfo?, data: Data) {
    try await c.tracker.downloadArtifact(
      request: .init(
        message: .with {
          $0.runID = c.runID
          $0.path = path
        })
    ) { response in
      var info: Mlops_Tracker_V1_FileInfo?
      var data = Data()
      for try await message in response.messages {
        switch message.part {
        case .info(let i): info = i
        case .chunk(let bytes): data.append(bytes)
        case nil: break
        }
      }
      return (info, data)
    }
  }

  static func expectStatus(_ code: RPCError.Code, naming text: String, _ call: () async throws -> Void) async {
    await #expect {
      try await call()
    } throws: { error in
      guard let error = error as? RPCError else { return false }
      return error.code == code && error.message.contains(text)
    }
  }

  @Test("a multi-chunk upload is listed with its size and sha256 and downloads byte for byte", arguments: TestBackend.available)
  func roundTrip(backend: TestBackend) async throws {
    try await withArtifacts(backend) { c in
      let data = Self.bytes(300_000)
      let stored = try await Self.upload(
        c, "model/model.onnx", data, chunk: 70_000, expected: Self.sha256(data).uppercased(), declared: 300_000)
      #expect(stored.path == "model/model.onnx")
      #expect(stored.sizeBytes == 300_000)
      #expect(stored.sha256 == Self.sha256(data))
      let root = try await c.tracker.listArtifacts(.with { $0.runID = c.runID })
      #expect(root.rootUri.hasSuffix("/\(c.runID)/artifacts"))
      #expect(root.files.map(\.path) == ["model"])
      #expect(root.files.map(\.isDir) == [true])
      let model = try await c.tracker.listArtifacts(
        .with {
          $0.runID = c.runID
          $0.path = "model"
        })
      #expect(model.files == [stored])
      let single = try await c.tracker.listArtifacts(
        .with {
          $0.runID = c.runID
          $0.path = "model/model.onnx"
        })
      #expect(single.files == [stored])
      let (info, bytes) = try await Self.download(c, "model/model.onnx")
      #expect(info == stored)
      #expect(bytes == data)
      let empty = try await Self.upload(c, "empty.txt", Data())
      #expect(empty.sizeBytes == 0)
      #expect(try await Self.download(c, "empty.txt").data.isEmpty)
    }
  }

  @Test("identical bytes under two paths are stored once; re-uploading a path replaces it", arguments: TestBackend.available)
  func deduplicated(backend: TestBackend) async throws {
    try await withArtifacts(backend) { c in
      let data = Self.bytes(10_000)
      try await Self.upload(c, "a.bin", data)
      try await Self.upload(c, "copy/a.bin", data)
      #expect(c.storedFiles("sha256").count == 1)
      let replaced = Self.bytes(500, seed: 9)
      try await Self.upload(c, "a.bin", replaced)
      #expect(try await Self.download(c, "a.bin").data == replaced)
      #expect(try await Self.download(c, "copy/a.bin").data == data)
    }
  }

  @Test("listings page without skipping or repeating an entry", arguments: TestBackend.available)
  func paging(backend: TestBackend) async throws {
    try await withArtifacts(backend, pageSize: 2) { c in
      for name in ["e", "a", "d", "b", "c"] { try await Self.upload(c, "dir/\(name)", Data(name.utf8)) }
      var seen: [String] = []
      var token = ""
      repeat {
        let page = try await c.tracker.listArtifacts(
          .with {
            $0.runID = c.runID
            $0.path = "dir"
            $0.pageToken = token
          })
        #expect(page.files.count <= 2)
        seen += page.files.map(\.path)
        token = page.nextPageToken
      } while !token.isEmpty
      #expect(seen == ["dir/a", "dir/b", "dir/c", "dir/d", "dir/e"])
      await Self.expectStatus(.invalidArgument, naming: "page_token") {
        _ = try await c.tracker.listArtifacts(
          .with {
            $0.runID = c.runID
            $0.pageToken = "%%%"
          })
      }
    }
  }
}
