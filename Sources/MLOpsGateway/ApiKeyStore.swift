import MLOpsCore

/// API keys on SQLite or PostgreSQL, written once over ``SQLExecutor``.
public struct ApiKeyStore: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  public func insert(_ key: ApiKey) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO api_keys (key_id, name, role, secret_sha256, created_time, created_by, revoked_time, last_used_time) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
        [
          .text(key.keyID), .text(key.name), .int(Int64(key.role.rawValue)), .text(key.secretSHA256), .int(key.createdTime),
          .text(key.createdBy),
        ])
    }
  }

  /// Every key, revoked ones included, by id.
  public func all() async throws -> [ApiKey] {
    try await sql.read { c in
      try await c.query(
        "SELECT key_id, name, role, secret_sha256, created_time, created_by, revoked_time, last_used_time FROM api_keys ORDER BY key_id", []
      ).map(Self.key)
    }
  }

  /// Marks a key revoked at `time`; NOT_FOUND for an unknown id. Revoking twice keeps the first time.
  public func revoke(_ keyID: String, at time: Int64) async throws {
    try await sql.transaction { c in
      guard try await c.first("SELECT 1 FROM api_keys WHERE key_id = ?", [.text(keyID)]) != nil else {
        throw GatewayError.keyNotFound(keyID)
      }
      try await c.execute("UPDATE api_keys SET revoked_time = ? WHERE key_id = ? AND revoked_time IS NULL", [.int(time), .text(keyID)])
    }
  }

  /// Records when keys were last used (batched by the key ring).
  public func touch(_ times: [String: Int64]) async throws {
    guard !times.isEmpty else { return }
    try await sql.write(times.map { ("UPDATE api_keys SET last_used_time = ? WHERE key_id = ?", [.int($0.value), .text($0.key)]) })
  }

  static func key(_ row: [SQLValue]) -> ApiKey {
    ApiKey(
      keyID: row[0].text, name: row[1].text, role: Role(rawValue: Int(row[2].int)) ?? .viewer, secretSHA256: row[3].text,
      createdTime: row[4].int, createdBy: row[5].text, revokedTime: row[6].isNull ? nil : row[6].int,
      lastUsedTime: row[7].isNull ? nil : row[7].int)
  }
}
