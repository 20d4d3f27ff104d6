import Foundation
import MLOpsCore

/// A download written to `<target>.part` while hashed, and moved onto `target` only when its
/// bytes match the digest (and size) the server announced; otherwise — a digest mismatch, or a
/// stream that ended in an error (a server finding damage mid-file sends the intact part
/// first) — the partial file goes.
/// Shared by `mlops artifacts download` and `mlops models download`. Unchecked Sendable: one
/// response handler writes it, and `finish` runs after that handler has returned.
final class VerifiedDownload: @unchecked Sendable {
  let target: String
  let partial: String
  let handle: FileHandle
  private var stream = SHA256Stream()
  private(set) var size: Int64 = 0
  private var moved = false

  init(target: String) throws {
    self.target = target
    self.partial = target + ".part"
    try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: partial, contents: nil)  // a failure shows in the open below
    guard let handle = FileHandle(forWritingAtPath: partial) else { throw StartupError("cannot write \(partial)") }
    self.handle = handle
  }

  deinit {
    try? handle.close()
    if !moved { try? FileManager.default.removeItem(atPath: partial) }
  }

  func write(_ bytes: Data) throws {
    stream.update(bytes)
    size += Int64(bytes.count)
    try handle.write(contentsOf: bytes)
  }

  /// Moves the file into place when it matches; `expectedSize` nil skips the size check.
  func finish(expectedSHA256: String, expectedSize: Int64? = nil) throws -> String {
    let digest = stream.hex()
    guard digest == expectedSHA256, expectedSize.map({ $0 == size }) ?? true else {
      try? FileManager.default.removeItem(atPath: partial)
      throw StartupError(
        "\(target): received \(size) bytes hashing to \(digest), expected \(expectedSize.map { "\($0) bytes " } ?? "")\(expectedSHA256); nothing written"
      )
    }
    try handle.synchronize()
    _ = try? FileManager.default.removeItem(atPath: target)
    try FileManager.default.moveItem(atPath: partial, toPath: target)
    moved = true
    return target
  }
}
