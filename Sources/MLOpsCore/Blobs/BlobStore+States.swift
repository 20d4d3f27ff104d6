import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The chaining states recorded beside each blob (`<blob>.states`): a cache of verification
/// work, never a source of truth. A missing, torn or foreign file is ignored and the blob is
/// verified whole, as before, and the file written again.
///
/// Layout: `MLSTATE1`, the interval (u32 LE), the state count (u32 LE), the blob's digest
/// (64 hex bytes), the states, then the SHA-256 of everything before it.
extension BlobStore {
  static let statesMagic = Array("MLSTATE1".utf8)

  func statesPath(of sha256: String) -> String { path(of: sha256) + ".states" }

  /// Writes the states next to the blob (a temporary file renamed into place, so a reader
  /// sees a whole file or none). Failure only costs the next download a full pass.
  func writeStates(_ states: [UInt8], sha256: String) {
    var bytes = Self.statesMagic
    withUnsafeBytes(of: UInt32(SHA256Chain.interval).littleEndian) { bytes += $0 }
    withUnsafeBytes(of: UInt32(states.count / SHA256Chain.stateSize).littleEndian) { bytes += $0 }
    bytes += Array(sha256.utf8) + states
    var trailer = SHA256Chain(recording: false)
    bytes.withUnsafeBytes { trailer.update($0) }
    bytes += Array(trailer.hex().utf8)
    let temporary = "\(root)/incoming/\(UUID().uuidString).states"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else { return }
    if rename(temporary, statesPath(of: sha256)) != 0 { unlink(temporary) }
  }

  /// The recorded states of a blob of `size` bytes named `sha256`, or nil when the file is
  /// missing or does not check out.
  func loadStates(sha256: String, size: Int64) -> [UInt8]? {
    guard let data = FileManager.default.contents(atPath: statesPath(of: sha256)) else { return nil }
    let bytes = [UInt8](data)
    let count = Int(size / Int64(SHA256Chain.interval))
    let body = 8 + 4 + 4 + 64 + count * SHA256Chain.stateSize
    guard bytes.count == body + 64, Array(bytes[0..<8]) == Self.statesMagic else { return nil }
    let interval = bytes[8..<12].reversed().reduce(0) { $0 << 8 | Int($1) }
    let stored = bytes[12..<16].reversed().reduce(0) { $0 << 8 | Int($1) }
    guard interval == SHA256Chain.interval, stored == count, String(decoding: bytes[16..<80], as: UTF8.self) == sha256 else { return nil }
    var trailer = SHA256Chain(recording: false)
    bytes.withUnsafeBytes { trailer.update(UnsafeRawBufferPointer(rebasing: $0[0..<body])) }
    guard String(decoding: bytes[body...], as: UTF8.self) == trailer.hex() else { return nil }
    return Array(bytes[80..<body])
  }
}
