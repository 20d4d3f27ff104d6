import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Content-addressed files: a blob lives at `<root>/sha256/<first two hex>/<hex>` and is
/// written once. Uploads stream into `<root>/incoming/` while being hashed and counted, are
/// flushed to disk, and only then renamed into place, so a blob is either complete or absent —
/// an interrupted upload leaves nothing a reader can see, and an acknowledged one survives
/// kill -9. Identical uploads share one file. Names are digests, never client paths, so no
/// client input can reach outside the root. Shared by the tracker's run artifacts and the
/// registry's model artifacts.
public struct BlobStore: Sendable {
  /// What an ingested blob is: its digest (lowercase hex) and length.
  public struct Stored: Sendable, Equatable {
    public var sha256: String
    public var size: Int64

    public init(sha256: String, size: Int64) {
      self.sha256 = sha256
      self.size = size
    }
  }

  /// What the client promised about an upload; checked before anything becomes visible.
  public struct Expectation: Sendable {
    /// Refuse (RESOURCE_EXHAUSTED) once more than this many bytes arrive.
    public var limit: Int64
    /// When non-nil, the bytes must hash to it (lowercase hex) or the upload is DATA_LOSS.
    public var sha256: String?
    /// When non-nil, exactly this many bytes must arrive.
    public var size: Int64?
    /// The request field names errors mention, e.g. "header.expected_sha256".
    public var sizeField: String
    public var digestField: String

    public init(limit: Int64, sha256: String? = nil, size: Int64? = nil, sizeField: String = "size_bytes", digestField: String = "sha256") {
      self.limit = limit
      self.sha256 = sha256
      self.size = size
      self.sizeField = sizeField
      self.digestField = digestField
    }
  }

  public let root: String

  /// Creates the directory layout under `root` if needed.
  /// - Throws: ``StartupError`` naming the directory when it cannot be created.
  public init(root: String) throws {
    self.root = root
    do {
      try FileManager.default.createDirectory(atPath: root + "/incoming", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: root + "/sha256", withIntermediateDirectories: true)
    } catch {
      throw StartupError("cannot create artifact directory \(root): \(error.localizedDescription)")
    }
  }

  /// Whether `text` is a sha256 digest in the lowercase hex form blobs are named by.
  public static func isDigest(_ text: String) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
  }

  func path(of sha256: String) -> String {
    "\(root)/sha256/\(sha256.prefix(2))/\(sha256)"
  }

  /// Streams `chunks` into a new blob, enforcing `expect`. Nothing is visible unless every
  /// check passes and the bytes are on disk; on any error (including the stream failing
  /// because the client went away) the partial file is removed.
  public func ingest(
    _ chunks: some AsyncSequence<Data, any Error>, expect: Expectation
  ) async throws -> Stored {
    try await ingest(chunks, expect: expect, keepingBytes: false).stored
  }

  /// ``ingest(_:expect:)`` that also returns the bytes when `keepingBytes`, for a caller that
  /// inspects what it stored (the registry loads uploaded models): the stored file mapped
  /// from the page cache the upload just filled, not a second copy gathered while receiving.
  /// Bytes that match a blob already stored under the promised digest are not written
  /// again (``BlobSink``).
  public func ingest(
    _ chunks: some AsyncSequence<Data, any Error>, expect: Expectation, keepingBytes: Bool
  ) async throws -> (stored: Stored, bytes: Data?) {
    let sink = try BlobSink(store: self, digest: expect.sha256)
    var size: Int64 = 0
    for try await chunk in chunks {
      size += Int64(chunk.count)
      if size > expect.limit { throw BlobError.tooLarge(field: expect.sizeField, limit: expect.limit) }
      if let declared = expect.size, size > declared {
        throw BlobError.sizeMismatch(field: expect.sizeField, declared: declared, received: size)
      }
      try sink.append(chunk)
    }
    let digest = sink.hasher.hex()
    if let declared = expect.size, declared != size {
      throw BlobError.sizeMismatch(field: expect.sizeField, declared: declared, received: size)
    }
    if let expected = expect.sha256, expected != digest {
      throw BlobError.digestMismatch(field: expect.digestField, expected: expected, actual: digest)
    }
    try sink.finish(as: digest)
    writeStates(sink.hasher.states, sha256: digest)
    return (Stored(sha256: digest, size: size), keepingBytes ? try BlobFile.mapped(path(of: digest), size: size) : nil)
  }

  /// Renames a finished upload to its digest's name and makes the rename durable. Replacing
  /// an existing blob is harmless (same bytes) and heals one that was damaged.
  func publish(_ temporary: String, as digest: String) throws {
    let directory = "\(root)/sha256/\(digest.prefix(2))"
    if mkdir(directory, 0o755) != 0, errno != EEXIST {
      throw BlobError.failure("creating \(directory)")
    }
    guard rename(temporary, path(of: digest)) == 0 else {
      throw BlobError.failure("moving the upload into \(directory)")
    }
    try BlobFile.syncDirectory(directory)
  }

  /// Opens a stored blob for reading after checking that it is a regular file (not a link) of
  /// the recorded size whose first mebibyte checks out, so a blob damaged there (or anywhere,
  /// when it is no larger) is DATA_LOSS before a single byte is sent; reading it checks the
  /// rest before handing any of it out. A blob without recorded states (stored by an earlier
  /// version, or its states file lost) is hashed whole first, and its states recorded.
  public func openVerified(sha256: String, size: Int64) throws -> VerifiedBlob {
    guard Self.isDigest(sha256) else {
      throw BlobError.corrupted(sha256: sha256, reason: "the recorded digest is not a sha256")
    }
    if let states = loadStates(sha256: sha256, size: size) {
      let blob = try VerifiedBlob(path: path(of: sha256), sha256: sha256, size: size, states: states)
      try blob.verifyStart()
      return blob
    }
    let states = try VerifiedBlob(path: path(of: sha256), sha256: sha256, size: size).verify()
    writeStates(states, sha256: sha256)
    return try VerifiedBlob(path: path(of: sha256), sha256: sha256, size: size, states: states)
  }

  /// Removes uploads abandoned by a crash (older than `age` seconds); a blob being received
  /// right now is younger and stays.
  public func removeAbandonedUploads(olderThan age: TimeInterval = 3600) {
    let incoming = root + "/incoming"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
    let cutoff = Date().addingTimeInterval(-age)
    for name in names {
      let path = incoming + "/" + name
      let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
      if let modified, modified < cutoff { unlink(path) }
    }
  }
}

extension BlobError {
  /// The current errno as a BlobError: ENOSPC and EDQUOT are RESOURCE_EXHAUSTED.
  static func failure(_ what: String) -> BlobError {
    let code = errno
    let text = String(cString: strerror(code))
    return code == ENOSPC || code == EDQUOT ? .noSpace(what) : .io("\(what): \(text)")
  }
}
