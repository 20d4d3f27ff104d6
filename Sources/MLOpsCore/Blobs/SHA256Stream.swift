import Foundation

/// SHA-256 over bytes that arrive in pieces, spelled as lowercase hex — the form artifact
/// digests take on the wire and in blob names. Public so clients (the CLI) check downloads
/// and pre-compute `expected_sha256` the same way the servers do.
public struct SHA256Stream: Sendable {
  private var chain = SHA256Chain(recording: false)

  public init() {}

  public mutating func update(_ data: Data) {
    chain.update(data)
  }

  public mutating func update(_ bytes: UnsafeRawBufferPointer) {
    chain.update(bytes)
  }

  /// The digest of everything so far, as 64 lowercase hex characters.
  public func hex() -> String { chain.hex() }

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
