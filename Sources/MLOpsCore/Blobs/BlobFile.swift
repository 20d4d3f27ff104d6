import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A file being written by ``BlobStore/ingest(_:expect:)``: created exclusively, written in
/// full (short writes retried), flushed before it is published.
final class BlobFile: Sendable {
  let descriptor: Int32
  let path: String

  init(creating path: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw BlobError.failure("creating \(path)") }
    self.descriptor = descriptor
    self.path = path
  }

  func write(_ data: Data) throws {
    try data.withUnsafeBytes { try write($0) }
  }

  func write(_ buffer: UnsafeRawBufferPointer) throws {
    var offset = 0
    while offset < buffer.count {
      let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw BlobError.failure("writing \(path)")
      }
      offset += written
    }
  }

  /// How many written bytes ``BlobSink`` lets pile up before asking the
  /// kernel to start writing them out (``startWriteback(offset:count:)``).
  static let writebackStep: Int64 = 4 << 20

  /// Starts writing `count` bytes from `offset` to disk without waiting for them, so that the
  /// flush before publishing finds little left to do. Left alone, the kernel kept a 50 MB
  /// upload in the page cache until that flush, which then took 30 ms after the last byte
  /// had arrived; started while receiving, the disk's work overlaps the network's. Advisory:
  /// where the call is unavailable nothing happens, and ``sync()`` still makes the file durable.
  func startWriteback(offset: Int64, count: Int64) {
    _ = Self.syncFileRange?(descriptor, offset, count, Self.syncFileRangeWrite)
  }

  /// Linux's SYNC_FILE_RANGE_WRITE: start writeback of the range's dirty pages, don't wait.
  private static let syncFileRangeWrite: UInt32 = 2

  /// `sync_file_range(2)`, looked up at run time: Swift's Glibc module does not import it.
  private static let syncFileRange: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = {
    guard let symbol = dlsym(nil, "sync_file_range") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self)
  }()

  func sync() throws {
    guard fsync(descriptor) == 0 else { throw BlobError.failure("flushing \(path)") }
  }

  func close() {
    _ = Glibc.close(descriptor)
  }

  /// A stored file's bytes, mapped read-only rather than copied: an upload just filled the
  /// page cache with them, so a caller inspecting what it stored (the registry checking a
  /// 50 MB model) reads those pages instead of a heap copy of the same size. Pages are mapped
  /// as they are touched, not up front: the registry's check reads the model's structure and
  /// skips over its weights, so most of the file is never touched at all.
  static func mapped(_ path: String, size: Int64) throws -> Data {
    guard size > 0 else { return Data() }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw BlobError.failure("opening \(path)") }
    defer { _ = Glibc.close(descriptor) }
    let count = Int(size)
    guard let mapping = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0),
      mapping != MAP_FAILED
    else { throw BlobError.failure("mapping \(path)") }
    return Data(
      bytesNoCopy: mapping, count: count,
      deallocator: .custom { pointer, count in
        _ = munmap(pointer, count)
      })
  }

  /// Makes a rename inside `directory` durable.
  static func syncDirectory(_ directory: String) throws {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw BlobError.failure("opening \(directory)") }
    defer { _ = Glibc.close(descriptor) }
    guard fsync(descriptor) == 0 else { throw BlobError.failure("flushing \(directory)") }
  }
}
