import Foundation
import MLOpsCore

/// An API key as stored: who it is, what it may do, and only the SHA-256 of its secret.
public struct ApiKey: Sendable, Equatable {
  public var keyID: String
  public var name: String
  public var role: Role
  /// Lower-case hex SHA-256 of the whole token; the token itself is never stored.
  public var secretSHA256: String
  public var createdTime: Int64
  public var createdBy: String
  public var revokedTime: Int64?
  public var lastUsedTime: Int64?

  public var revoked: Bool { revokedTime != nil }
}

/// The bearer token of a key: `mlk_<key id>_<secret>`, the key id so a gateway finds the
/// record without scanning, the secret 256 random bits (base64url). Secrets this long need no
/// salt or slow hash: SHA-256 cannot be reversed and guessing 2^256 values is not possible.
public enum ApiKeyToken {
  /// A new key id (12 hex characters) and its token.
  public static func make() -> (keyID: String, token: String) {
    var generator = SystemRandomNumberGenerator()
    let id = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    return (id, "mlk_\(id)_\(secret)")
  }

  /// The key id a token names, or nil when it is not shaped like one.
  public static func keyID(of token: String) -> String? {
    let parts = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0] == "mlk", parts[1].count == 12, parts[2].count >= 16, token.utf8.count <= 128 else { return nil }
    return String(parts[1])
  }

  /// Lower-case hex SHA-256 of a token.
  public static func sha256(_ token: String) -> String {
    var stream = SHA256Stream()
    stream.update(Data(token.utf8))
    return stream.hex()
  }

  /// Whether two digests are equal, comparing every byte whatever the first difference, so
  /// the time taken says nothing about how much of a guess was right.
  public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }
}
