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
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
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
  }

  func sync() throws {
    guard fsync(descriptor) == 0 else { throw BlobError.failure("flushing \(path)") }
  }

  func close() {
    _ = Glibc.close(descriptor)
  }

  /// Makes a rename inside `directory` durable.
  static func syncDirectory(_ directory: String) throws {
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw BlobError.failure("opening \(directory)") }
    defer { _ = Glibc.close(descriptor) }
    guard fsync(descriptor) == 0 else { throw BlobError.failure("flushing \(directory)") }
  }
}
