import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A stored blob opened for reading. ``BlobStore/openVerified(sha256:size:)`` hashes it once
/// before handing it out; ``chunks(of:)`` hashes it again while reading, so even a file
/// changed underneath a download ends in DATA_LOSS rather than a quiet mismatch.
public final class VerifiedBlob: Sendable {
  let descriptor: Int32
  public let sha256: String
  public let size: Int64

  init(path: String, sha256: String, size: Int64) throws {
    // O_NOFOLLOW: a blob replaced by a symbolic link is corruption, not a pointer to follow.
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = errno == ENOENT ? "the file is missing" : errno == ELOOP ? "the file is a symbolic link" : String(cString: strerror(errno))
      throw BlobError.corrupted(sha256: sha256, reason: reason)
    }
    self.descriptor = descriptor
    self.sha256 = sha256
    self.size = size
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
      throw BlobError.corrupted(sha256: sha256, reason: "not a regular file")
    }
    guard Int64(status.st_size) == size else {
      throw BlobError.corrupted(sha256: sha256, reason: "\(status.st_size) bytes on disk, \(size) recorded")
    }
  }

  deinit {
    _ = close(descriptor)
  }

  /// Reads the whole file once and checks its digest.
  func verify() throws {
    var hasher = SHA256Stream()
    var offset: Int64 = 0
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while offset < size {
      let count = try read(into: &buffer, at: offset)
      buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
      offset += Int64(count)
    }
    try check(hasher)
  }

  /// The file in chunks of `chunkSize` bytes, re-hashed as they are read; the sequence throws
  /// DATA_LOSS at the end if the bytes changed since ``verify()``.
  public func chunks(of chunkSize: Int = 1 << 20) -> Chunks {
    Chunks(blob: self, chunkSize: chunkSize)
  }

  /// The sequence ``chunks(of:)`` returns.
  public struct Chunks: AsyncSequence, Sendable {
    let blob: VerifiedBlob
    let chunkSize: Int

    public func makeAsyncIterator() -> Iterator {
      Iterator(blob: blob, chunkSize: chunkSize)
    }

    /// Reads forward with pread; the digest check runs once, after the last byte.
    public struct Iterator: AsyncIteratorProtocol {
      let blob: VerifiedBlob
      let chunkSize: Int
      var offset: Int64 = 0
      var hasher = SHA256Stream()
      var finished = false

      init(blob: VerifiedBlob, chunkSize: Int) {
        self.blob = blob
        self.chunkSize = chunkSize
      }

      public mutating func next() async throws -> Data? {
        guard !finished else { return nil }
        guard offset < blob.size else {
          finished = true
          try blob.check(hasher)
          return nil
        }
        var data = Data(count: Int(Swift.min(Int64(chunkSize), blob.size - offset)))
        let count = try data.withUnsafeMutableBytes { [blob, offset] in try blob.read(into: $0, at: offset) }
        data.count = count
        hasher.update(data)
        offset += Int64(count)
        return data
      }
    }
  }

  fileprivate func check(_ hasher: SHA256Stream) throws {
    let digest = hasher.hex()
    guard digest == sha256 else {
      throw BlobError.corrupted(sha256: sha256, reason: "the bytes hash to \(digest)")
    }
  }

  private func read(into buffer: inout [UInt8], at offset: Int64) throws -> Int {
    try buffer.withUnsafeMutableBytes { try read(into: $0, at: offset) }
  }

  /// One pread of up to the buffer's size; a file shorter than recorded is corruption.
  fileprivate func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
    let wanted = Swift.min(buffer.count, Int(size - offset))
    while true {
      let count = pread(descriptor, buffer.baseAddress!, wanted, off_t(offset))
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { throw BlobError.failure("reading blob \(sha256)") }
      guard count > 0 else { throw BlobError.corrupted(sha256: sha256, reason: "the file ends at byte \(offset)") }
      return count
    }
  }
}
