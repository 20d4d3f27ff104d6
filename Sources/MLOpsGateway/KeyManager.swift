import Foundation
import Logging
import MLOpsCore

/// API key rules: who may be created, how secrets are made and stored (hash only), and the
/// admin key a new gateway starts with.
public struct KeyManager: Sendable {
  let store: ApiKeyStore
  let ring: KeyRing
  let clock: @Sendable () -> Int64

  public init(store: ApiKeyStore, ring: KeyRing, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
    self.store = store
    self.ring = ring
    self.clock = clock
  }

  /// A new key and its token, which is shown only now.
  public func create(name: String, role: Role, createdBy: String, token: String? = nil) async throws -> (ApiKey, String) {
    guard !name.isEmpty, name.utf8.count <= 128, !name.contains(where: { $0.isNewline }) else {
      throw GatewayError.invalidArgument(field: "name", reason: "must be 1-128 bytes on one line")
    }
    let made = token.flatMap { t in ApiKeyToken.keyID(of: t).map { ($0, t) } } ?? ApiKeyToken.make()
    let key = ApiKey(
      keyID: made.0, name: name, role: role, secretSHA256: ApiKeyToken.sha256(made.1), createdTime: clock(), createdBy: createdBy)
    try await store.insert(key)
    ring.remember(key)
    return (key, made.1)
  }

  public func revoke(_ keyID: String) async throws {
    guard !keyID.isEmpty else { throw GatewayError.invalidArgument(field: "key_id", reason: "must name a key") }
    let now = clock()
    try await store.revoke(keyID, at: now)
    ring.forget(keyID, at: now)
  }

  /// Every key (without revoked ones unless asked), by id.
  public func list(includeRevoked: Bool) async throws -> [ApiKey] {
    try await store.all().filter { includeRevoked || !$0.revoked }
  }

  /// The admin key of a new gateway. With `file`, its token is installed (once); without, a
  /// key is made when there is none and its token written to `<data-dir>/admin.key` with mode
  /// 0600 — the log says where, never what.
  public func bootstrap(file: String?, dataDirectory: String, logger: Logger) async throws {
    if let file {
      guard let text = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }),
        let id = ApiKeyToken.keyID(of: text.trimmingCharacters(in: .whitespacesAndNewlines))
      else { throw StartupError("--admin-key-file \(file) does not hold an mlops API key (mlk_…)") }
      // The manifest's placeholder would be an admin key everyone knows.
      guard !text.contains("change-me") else {
        throw StartupError(
          "--admin-key-file \(file) holds the placeholder key; replace it with your own (see deploy/kubernetes/platform.yaml)")
      }
      if try await !store.all().contains(where: { $0.keyID == id }) {
        _ = try await create(name: "admin", role: .admin, createdBy: "gateway", token: text.trimmingCharacters(in: .whitespacesAndNewlines))
        logger.notice("installed the admin API key from --admin-key-file", metadata: ["key_id": "\(id)", "file": "\(file)"])
      }
      return
    }
    guard try await store.all().isEmpty else { return }
    let (key, token) = try await create(name: "admin", role: .admin, createdBy: "gateway")
    let path = (dataDirectory as NSString).appendingPathComponent("admin.key")
    try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw StartupError("cannot write the admin API key to \(path)") }
    defer { close(fd) }
    let bytes = Array((token + "\n").utf8)
    guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
      throw StartupError("cannot write the admin API key to \(path)")
    }
    logger.notice(
      "created the admin API key; its secret is in the file (mode 0600)", metadata: ["key_id": "\(key.keyID)", "file": "\(path)"])
  }
}
