// BoringSSL's SHA-256 context, reached through swift-crypto's C module (visible to every
// target that depends on Crypto): its chaining state is what lets a download check each
// mebibyte against the state recorded at upload, hashing every byte once.
import CCryptoBoringSSL
import Foundation

/// SHA-256 that records its chaining state at every ``interval`` bytes. The states of a stored
/// blob let a reader verify it piece by piece in the same pass that sends it, ending in the
/// full digest — instead of hashing the whole blob before the first byte and again while
/// sending (SHA-256 runs at ~400 MB/s here, as fast as the disk, so the second pass halved
/// download throughput).
struct SHA256Chain: Sendable {
  /// 1 MiB: a whole number of SHA-256's 64-byte blocks, so the state at a boundary holds no
  /// buffered partial block.
  static let interval = 1 << 20
  static let stateSize = 32

  private var context = SHA256_CTX()
  private(set) var count: Int64 = 0
  /// ``stateSize`` bytes per completed interval, in order; empty when not recording.
  private(set) var states: [UInt8] = []
  private let recording: Bool

  init(recording: Bool) {
    self.recording = recording
    CCryptoBoringSSL_SHA256_Init(&context)
  }

  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    var rest = bytes
    while !rest.isEmpty {
      let untilBoundary = Self.interval - Int(count % Int64(Self.interval))
      let take = Swift.min(untilBoundary, rest.count)
      CCryptoBoringSSL_SHA256_Update(&context, rest.baseAddress, take)
      count += Int64(take)
      rest = UnsafeRawBufferPointer(rebasing: rest[take...])
      if take == untilBoundary, recording { states += state }
    }
  }

  mutating func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

  /// The chaining state now (its eight words, little-endian).
  var state: [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.stateSize)
    withUnsafeBytes(of: context.h) { words in
      for index in 0..<8 {
        let word = words.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
        withUnsafeBytes(of: word.littleEndian) { bytes += $0 }
      }
    }
    return bytes
  }

  /// The digest of everything so far, as 64 lowercase hex characters.
  func hex() -> String {
    var copy = context
    var digest = [UInt8](repeating: 0, count: 32)
    CCryptoBoringSSL_SHA256_Final(&digest, &copy)
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
  }
}
