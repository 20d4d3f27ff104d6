import MLOpsCore

/// Policies by scope on SQLite or PostgreSQL, written once over ``SQLExecutor``.
public struct PolicyStore: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  public func save(_ policy: PolicyDefinition) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO policies (scope, doc) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET doc = excluded.doc",
        [.text(policy.scope), try .json(policy)])
    }
  }

  public func policy(_ scope: String) async throws -> PolicyDefinition? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM policies WHERE scope = ?", [.text(scope)]).map { try $0[0].decoded(PolicyDefinition.self) }
    }
  }

  /// The policy in force for a deployment: its own, else "default", else none.
  public func inForce(for deployment: String) async throws -> PolicyDefinition? {
    if let own = try await policy(deployment) { return own }
    return try await policy(PolicyDefinition.defaultScope)
  }
}
