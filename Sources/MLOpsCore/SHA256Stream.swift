import Crypto
import Foundation

/// SHA-256 over bytes that arrive in pieces, spelled as lowercase hex — the form artifact
/// digests take on the wire and in blob names. Public so clients (the CLI) check downloads
/// and pre-compute `expected_sha256` the same way the servers do.
public struct SHA256Stream: Sendable {
  private var hasher = SHA256()

  public init() {}

  public mutating func update(_ data: Data) {
    hasher.update(data: data)
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    hasher.update(bufferPointer: bytes)
  }

  /// The digest of everything so far, as 64 lowercase hex characters.
  public func hex() -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8]()
    text.reserveCapacity(64)
    for byte in hasher.finalize() {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }

  /// The digest and size of a local file, read in 1 MiB pieces.
  public static func file(atPath path: String) throws -> (sha256: String, size: Int64) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw StartupError("cannot read \(path)")
    }
    defer { try? handle.close() }
    var stream = SHA256Stream()
    var size: Int64 = 0
    while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
      stream.update(piece)
      size += Int64(piece.count)
    }
    return (stream.hex(), size)
  }
}
