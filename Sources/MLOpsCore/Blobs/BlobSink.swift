import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where ``BlobStore/ingest(_:expect:keepingBytes:)`` puts what it receives: hashed, and
/// either written to a new file in `incoming/` or — when the client names the digest of a
/// blob already stored — compared with that blob as it arrives, writing nothing.
///
/// Storing identical bytes again (the same model registered under a second name, a pipeline
/// re-run that produces the same artifact) used to write the whole file, flush it, and
/// rename it over the stored one, whose 50 MB of blocks the rename then freed while the
/// client waited. Comparing reads pages the upload's first store left in the page cache.
/// The first byte that differs switches to writing: the prefix already matched is copied
/// from the stored blob (it equals what arrived), and the rest is written as it comes. So a
/// stored blob damaged on disk is still replaced by a good upload, as before.
///
/// Used by one ingest at a time, from one task.
final class BlobSink {
  /// Where the bytes go: a stored blob they are compared with until they differ, or the new
  /// file in `incoming/`.
  private enum Target {
    case comparing(Int32)
    case writing(BlobFile)
  }

  private let store: BlobStore
  private let temporary: String
  /// Also counts the bytes received so far (``SHA256Chain/count``).
  private(set) var hasher = SHA256Chain(recording: true)
  private var target: Target
  private var writtenBack: Int64 = 0
  private var comparison: [UInt8] = []
  private var published = false

  /// - Parameter digest: the digest the client promised; its blob, if stored, is compared.
  init(store: BlobStore, digest: String?) throws {
    self.store = store
    self.temporary = "\(store.root)/incoming/\(UUID().uuidString)"
    // Only a well-formed digest names a path: a client's text never reaches the filesystem.
    if let digest, BlobStore.isDigest(digest), let descriptor = Self.openRegularFile(store.path(of: digest)) {
      target = .comparing(descriptor)
    } else {
      target = .writing(try BlobFile(creating: temporary))
    }
  }

  deinit {
    switch target {
    case .comparing(let descriptor): _ = Glibc.close(descriptor)
    case .writing(let file):
      file.close()
      if !published { unlink(temporary) }
    }
  }

  /// Hashes `chunk`, and compares or writes it.
  func append(_ chunk: Data) throws {
    let offset = hasher.count
    hasher.update(chunk)
    if case .comparing(let descriptor) = target, try matches(chunk, at: offset, in: descriptor) { return }
    let file = try writingFile(matched: offset)
    try file.write(chunk)
    if hasher.count - writtenBack >= BlobFile.writebackStep {
      file.startWriteback(offset: writtenBack, count: hasher.count - writtenBack)
      writtenBack = hasher.count
    }
  }

  /// After the last chunk, once size and digest are checked: flushes the new file and renames
  /// it to `digest`'s name, unless every byte matched a stored blob of exactly this size.
  func finish(as digest: String) throws {
    if case .comparing(let descriptor) = target {
      var status = stat()
      if fstat(descriptor, &status) == 0, Int64(status.st_size) == hasher.count { return }
    }
    try writingFile(matched: hasher.count).sync()
    try store.publish(temporary, as: digest)
    published = true
  }

  /// The new file. The first call while comparing creates it and copies into it the
  /// `matched` bytes that matched, from the stored blob (the bytes that arrived are not kept).
  private func writingFile(matched: Int64) throws -> BlobFile {
    let descriptor: Int32
    switch target {
    case .writing(let file): return file
    case .comparing(let stored): descriptor = stored
    }
    let file = try BlobFile(creating: temporary)
    target = .writing(file)
    defer { _ = Glibc.close(descriptor) }
    var buffer = [UInt8](repeating: 0, count: SHA256Chain.interval)
    var offset: Int64 = 0
    while offset < matched {
      let wanted = Int(Swift.min(Int64(buffer.count), matched - offset))
      let count = try Self.read(descriptor, into: &buffer, count: wanted, at: offset)
      guard count == wanted else { throw BlobError.failure("reading the stored copy of \(temporary)") }
      try buffer.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
      offset += Int64(count)
    }
    return file
  }

  private func matches(_ chunk: Data, at offset: Int64, in descriptor: Int32) throws -> Bool {
    if comparison.count < chunk.count { comparison = [UInt8](repeating: 0, count: chunk.count) }
    let count = try Self.read(descriptor, into: &comparison, count: chunk.count, at: offset)
    guard count == chunk.count else { return false }
    return chunk.withUnsafeBytes { incoming in
      comparison.withUnsafeBytes { memcmp(incoming.baseAddress!, $0.baseAddress!, count) == 0 }
    }
  }

  /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
  private static func read(_ descriptor: Int32, into buffer: inout [UInt8], count: Int, at offset: Int64) throws -> Int {
    var filled = 0
    while filled < count {
      let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
      if n < 0 {
        if errno == EINTR { continue }
        throw BlobError.failure("reading a stored blob")
      }
      if n == 0 { break }
      filled += n
    }
    return filled
  }

  /// The stored blob, opened for reading when it is a regular file (not a link).
  private static func openRegularFile(_ path: String) -> Int32? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard descriptor >= 0 else { return nil }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      _ = Glibc.close(descriptor)
      return nil
    }
    return descriptor
  }
}
