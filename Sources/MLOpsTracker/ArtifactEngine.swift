import Foundation
import MLOpsCore

/// Run artifacts: validates uploads, stores their bytes in a content-addressed ``BlobStore``
/// and their paths in the ``ArtifactRepository``, lists directories a page at a time, and
/// opens files for download only after their digest checks out. Knows no protobuf.
public struct ArtifactEngine: Sendable {
  /// Entries per ListArtifacts page unless the engine is built with another size.
  public static let defaultPageSize = 1000

  let runs: RunRepository
  let index: ArtifactRepository
  let blobs: BlobStore
  let maxBytes: Int64
  let pageSize: Int
  let clock: @Sendable () -> Int64

  /// - Parameter maxBytes: the largest upload accepted (`--max-artifact-bytes`).
  public init(
    runs: RunRepository, index: ArtifactRepository, blobs: BlobStore, maxBytes: Int64,
    pageSize: Int = defaultPageSize,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.runs = runs
    self.index = index
    self.blobs = blobs
    self.maxBytes = maxBytes
    self.pageSize = max(pageSize, 1)
    self.clock = clock
  }

  /// Stores one file. Everything about the header is checked before a byte is read; the
  /// bytes become visible only once complete, hashed, matching what was promised, and on disk.
  public func upload(_ upload: ArtifactUpload, chunks: some AsyncSequence<Data, any Error>) async throws -> ArtifactEntry {
    let path = try ArtifactPath(upload.path, field: "header.path")
    let expectation = try expectation(for: upload)
    _ = try await activeRun(upload.runID, field: "header.run_id")
    let stored = try await blobs.ingest(chunks, expect: expectation)
    try await index.record(runID: upload.runID, path: path, blob: stored, time: clock())
    return ArtifactEntry(path: path.text, isDirectory: false, size: stored.size, sha256: stored.sha256)
  }

  func expectation(for upload: ArtifactUpload) throws -> BlobStore.Expectation {
    let digest = upload.expectedSHA256.lowercased()
    guard digest.isEmpty || BlobStore.isDigest(digest) else {
      throw TrackerError.invalidArgument(field: "header.expected_sha256", reason: "must be 64 hexadecimal characters")
    }
    guard upload.declaredSize >= 0 else {
      throw TrackerError.invalidArgument(field: "header.size_bytes", reason: "must not be negative")
    }
    if upload.declaredSize > maxBytes {
      throw BlobError.tooLarge(field: "header.size_bytes", limit: maxBytes)
    }
    return BlobStore.Expectation(
      limit: maxBytes, sha256: digest.isEmpty ? nil : digest, size: upload.declaredSize > 0 ? upload.declaredSize : nil,
      sizeField: "header.size_bytes", digestField: "header.expected_sha256")
  }

  /// One page of a directory listing (or the file itself when `path` names a file), with the
  /// run's artifact root URI and the token of the next page ("" on the last).
  public func list(runID: String, path: String, pageToken: String) async throws -> (root: String, entries: [ArtifactEntry], next: String) {
    let run = try await existingRun(runID, field: "run_id")
    var directory = ""
    if !path.isEmpty {
      let parsed = try ArtifactPath(path, field: "path")
      guard let entry = try await index.entry(runID: runID, path: parsed.text) else {
        throw TrackerError.artifactNotFound(runID: runID, path: path)
      }
      guard entry.isDirectory else { return (run.info.artifactURI, [entry], "") }
      directory = parsed.text
    }
    let after = try Self.decodePageToken(pageToken)
    let entries = try await index.list(runID: runID, directory: directory, after: after, limit: pageSize + 1)
    let page = Array(entries.prefix(pageSize))
    let next = entries.count > pageSize ? Self.encodePageToken(page.last!.path) : ""
    return (run.info.artifactURI, page, next)
  }

  /// The file at `path` and its bytes, already verified against the recorded digest.
  /// - Throws: `artifactNotFound`; `invalidArgument` for a directory; DATA_LOSS when the
  ///   stored bytes are missing or damaged.
  public func download(runID: String, path: String) async throws -> (entry: ArtifactEntry, blob: VerifiedBlob) {
    _ = try await existingRun(runID, field: "run_id")
    let parsed = try ArtifactPath(path, field: "path")
    guard let entry = try await index.entry(runID: runID, path: parsed.text) else {
      throw TrackerError.artifactNotFound(runID: runID, path: path)
    }
    guard !entry.isDirectory else {
      throw TrackerError.invalidArgument(field: "path", reason: "'\(path)' is a directory; download its files one by one")
    }
    return (entry, try blobs.openVerified(sha256: entry.sha256, size: entry.size))
  }

  func existingRun(_ id: String, field: String) async throws -> Run {
    guard !id.isEmpty else { throw TrackerError.invalidArgument(field: field, reason: "must not be empty") }
    guard let run = try await runs.run(id: id) else { throw TrackerError.runNotFound(id) }
    return run
  }

  func activeRun(_ id: String, field: String) async throws -> Run {
    let run = try await existingRun(id, field: field)
    guard run.info.lifecycle == .active else { throw TrackerError.runDeleted(id) }
    return run
  }

  /// Page tokens carry the last name returned, base64 so they stay opaque.
  static func encodePageToken(_ path: String) -> String {
    Data(path.split(separator: "/").last.map(String.init)!.utf8).base64EncodedString()
  }

  static func decodePageToken(_ token: String) throws -> String? {
    guard !token.isEmpty else { return nil }
    guard let data = Data(base64Encoded: token), let name = String(data: data, encoding: .utf8) else {
      throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this server returned")
    }
    return name
  }
}
