import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A stored blob opened for reading. ``chunks(of:)`` hashes it once, as it reads, and checks
/// each mebibyte against the chaining state recorded for it before handing out any of its
/// bytes — the last one against the blob's digest itself — so a damaged or changed file ends
/// in DATA_LOSS and never yields a wrong byte. ``BlobStore/openVerified(sha256:size:)`` checks
/// the first mebibyte before the caller sends anything.
public final class VerifiedBlob: Sendable {
  let descriptor: Int32
  public let sha256: String
  public let size: Int64
  /// ``SHA256Chain`` states, one per whole mebibyte.
  let states: [UInt8]

  init(path: String, sha256: String, size: Int64, states: [UInt8] = []) throws {
    // O_NOFOLLOW: a blob replaced by a symbolic link is corruption, not a pointer to follow.
    let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason =
        errno == ENOENT ? "the file is missing" : errno == ELOOP ? "the file is a symbolic link" : String(cString: strerror(errno))
      throw BlobError.corrupted(sha256: sha256, reason: reason)
    }
    self.descriptor = descriptor
    self.sha256 = sha256
    self.size = size
    self.states = states
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

  /// Reads the whole file once and checks its digest; returns its chaining states.
  func verify() throws -> [UInt8] {
    var chain = SHA256Chain(recording: true)
    var offset: Int64 = 0
    var buffer = [UInt8](repeating: 0, count: SHA256Chain.interval)
    while offset < size {
      let count = try read(into: &buffer, at: offset)
      buffer.withUnsafeBytes { chain.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
      offset += Int64(count)
    }
    try check(chain)
    return chain.states
  }

  /// Reads and checks the first mebibyte (the whole blob when smaller), so a blob damaged
  /// there is refused before a response starts.
  func verifyStart() throws {
    var piece = Piece(blob: self)
    _ = try piece.next()
  }

  /// The file in chunks of `chunkSize` bytes (at most a mebibyte), each from a mebibyte
  /// already checked.
  public func chunks(of chunkSize: Int = 1 << 20) -> Chunks {
    Chunks(blob: self, chunkSize: Swift.max(1, Swift.min(chunkSize, SHA256Chain.interval)))
  }

  /// The sequence ``chunks(of:)`` returns.
  public struct Chunks: AsyncSequence, Sendable {
    let blob: VerifiedBlob
    let chunkSize: Int

    public func makeAsyncIterator() -> Iterator {
      Iterator(pieces: Piece(blob: blob), chunkSize: chunkSize)
    }

    /// Hands out each checked mebibyte in chunks.
    public struct Iterator: AsyncIteratorProtocol {
      var pieces: Piece
      let chunkSize: Int
      var pending = Data()

      public mutating func next() async throws -> Data? {
        if pending.isEmpty {
          guard let piece = try pieces.next() else { return nil }
          pending = piece
        }
        let chunk = pending.prefix(chunkSize)
        pending = pending.dropFirst(chunk.count)
        return Data(chunk)
      }
    }
  }

  /// Reads forward a mebibyte at a time with pread, hashing as it goes; each piece is
  /// returned only once checked: against its recorded state, or — the last one — against
  /// the blob's digest.
  struct Piece: Sendable {
    let blob: VerifiedBlob
    var offset: Int64 = 0
    var chain = SHA256Chain(recording: false)
    var finished = false

    init(blob: VerifiedBlob) { self.blob = blob }

    mutating func next() throws -> Data? {
      guard !finished else { return nil }
      var data = Data(count: Int(Swift.min(Int64(SHA256Chain.interval), blob.size - offset)))
      var filled = 0
      while filled < data.count {
        filled += try data.withUnsafeMutableBytes { [blob, offset, filled] in
          try blob.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]), at: offset + Int64(filled))
        }
      }
      chain.update(data)
      offset += Int64(data.count)
      if offset == blob.size {
        finished = true
        try blob.check(chain)
        return data.isEmpty ? nil : data
      }
      let index = Int(offset / Int64(SHA256Chain.interval)) - 1
      let range = index * SHA256Chain.stateSize..<(index + 1) * SHA256Chain.stateSize
      guard offset % Int64(SHA256Chain.interval) == 0, range.upperBound <= blob.states.count,
        Array(blob.states[range]) == chain.state
      else {
        throw BlobError.corrupted(sha256: blob.sha256, reason: "the bytes before \(offset) do not hash to their recorded state")
      }
      return data
    }
  }

  fileprivate func check(_ chain: SHA256Chain) throws {
    let digest = chain.hex()
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
