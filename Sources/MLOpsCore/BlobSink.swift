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
  private let store: BlobStore
  private let temporary: String
  private(set) var hasher = SHA256Chain(recording: true)
  private var received: Int64 = 0
  /// The stored blob being compared against, until the bytes differ.
  private var stored: Int32?
  private var file: BlobFile?
  private var writtenBack: Int64 = 0
  private var comparison: [UInt8] = []
  private var published = false

  /// - Parameter digest: the digest the client promised; its blob, if stored, is compared.
  init(store: BlobStore, digest: String?) throws {
    self.store = store
    self.temporary = "\(store.root)/incoming/\(UUID().uuidString)"
    // Only a well-formed digest names a path: a client's text never reaches the filesystem.
    if let digest, BlobStore.isDigest(digest), let descriptor = Self.openRegularFile(store.path(of: digest)) {
      stored = descriptor
    } else {
      file = try BlobFile(creating: temporary)
    }
  }

  deinit {
    if let stored { _ = Glibc.close(stored) }
    file?.close()
    if !published, file != nil { unlink(temporary) }
  }

  /// Hashes `chunk`, and compares or writes it.
  func append(_ chunk: Data) throws {
    hasher.update(chunk)
    if let descriptor = stored {
      if try matches(chunk, at: received, in: descriptor) {
        received += Int64(chunk.count)
        return
      }
      try startWriting()
    }
    try file!.write(chunk)
    received += Int64(chunk.count)
    if received - writtenBack >= BlobFile.writebackStep {
      file!.startWriteback(offset: writtenBack, count: received - writtenBack)
      writtenBack = received
    }
  }

  /// After the last chunk, once size and digest are checked: true when every byte matched a
  /// stored blob of exactly this size, so nothing needs publishing.
  func matchedStoredBlob() throws -> Bool {
    guard let descriptor = stored else { return false }
    var status = stat()
    if fstat(descriptor, &status) == 0, Int64(status.st_size) == received { return true }
    try startWriting()
    return false
  }

  /// Flushes the new file and renames it to `digest`'s name.
  func publish(as digest: String) throws {
    try file!.sync()
    try store.publish(temporary, as: digest)
    published = true
  }

  /// Stops comparing: creates the new file and copies into it the prefix that matched, from
  /// the stored blob (the bytes that arrived are not kept).
  private func startWriting() throws {
    guard let descriptor = stored else { return }
    stored = nil
    defer { _ = Glibc.close(descriptor) }
    let file = try BlobFile(creating: temporary)
    self.file = file
    var buffer = [UInt8](repeating: 0, count: SHA256Chain.interval)
    var offset: Int64 = 0
    while offset < received {
      let wanted = Int(Swift.min(Int64(buffer.count), received - offset))
      let count = try Self.read(descriptor, into: &buffer, count: wanted, at: offset)
      guard count == wanted else { throw BlobError.failure("reading the stored copy of \(temporary)") }
      try file.write(Data(buffer[0..<count]))
      offset += Int64(count)
    }
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
