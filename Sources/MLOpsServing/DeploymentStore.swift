import MLOpsCore

/// The router's storage, written once for SQLite and PostgreSQL on ``SQLExecutor``. Every
/// write is one transaction that commits before the call is answered, so an acknowledged
/// deployment survives kill -9.
public struct DeploymentStore: Sendable {
  let sql: any SQLExecutor

  public init(executor: any SQLExecutor) {
    self.sql = executor
  }

  /// Stores a new deployment; ALREADY_EXISTS when the name is taken.
  public func create(_ deployment: DeploymentDefinition) async throws {
    try await sql.transaction { c in
      guard try await c.first("SELECT 1 FROM deployments WHERE name = ?", [.text(deployment.name)]) == nil else {
        throw ServingError.deploymentNameTaken(deployment.name)
      }
      try await c.execute(
        "INSERT INTO deployments (name, generation, doc) VALUES (?, ?, ?)",
        [.text(deployment.name), .int(deployment.generation), try .json(deployment)])
    }
  }

  /// Replaces a deployment if its stored generation is still `expected` (0: any); returns the
  /// stored record with its generation bumped.
  public func replace(
    _ name: String, expected: Int64, with change: @Sendable @escaping (DeploymentDefinition) throws -> DeploymentDefinition
  ) async throws -> DeploymentDefinition {
    try await sql.transaction { c in
      guard let row = try await c.first("SELECT doc FROM deployments WHERE name = ?", [.text(name)]) else {
        throw ServingError.deploymentNotFound(name)
      }
      let current = try row[0].decoded(DeploymentDefinition.self)
      guard expected == 0 || expected == current.generation else {
        throw ServingError.failedPrecondition(
          field: "expected_generation", reason: "is \(expected) but deployment '\(name)' is at generation \(current.generation)")
      }
      var next = try change(current)
      next.generation = current.generation + 1
      try await c.execute(
        "UPDATE deployments SET generation = ?, doc = ? WHERE name = ?", [.int(next.generation), try .json(next), .text(name)])
      return next
    }
  }

  public func deployment(_ name: String) async throws -> DeploymentDefinition? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM deployments WHERE name = ?", [.text(name)]).map { try $0[0].decoded(DeploymentDefinition.self) }
    }
  }

  /// Deployments by name after `after`.
  public func deployments(after: String, limit: Int) async throws -> [DeploymentDefinition] {
    try await sql.read { c in
      try await c.query("SELECT doc FROM deployments WHERE name > ? ORDER BY name LIMIT ?", [.text(after), .int(Int64(limit))])
        .map { try $0[0].decoded(DeploymentDefinition.self) }
    }
  }

  /// Removes a deployment; NOT_FOUND when there is none.
  public func delete(_ name: String) async throws {
    try await sql.transaction { c in
      guard try await c.first("SELECT 1 FROM deployments WHERE name = ?", [.text(name)]) != nil else {
        throw ServingError.deploymentNotFound(name)
      }
      try await c.execute("DELETE FROM deployments WHERE name = ?", [.text(name)])
      try await c.execute("DELETE FROM rollouts WHERE deployment = ?", [.text(name)])
    }
  }

  // MARK: Rollouts

  /// The stored rollout of a deployment, if one was ever written.
  public func rollout(_ deployment: String) async throws -> RolloutState? {
    try await sql.read { c in
      try await c.first("SELECT doc FROM rollouts WHERE deployment = ?", [.text(deployment)]).map { try $0[0].decoded(RolloutState.self) }
    }
  }

  /// Whether `owner` holds (or now takes) the right to judge the deployment's rollout until
  /// `until`: replicas sharing the database would otherwise each judge their own share of the
  /// traffic and undo each other's decisions. A lease lapses when its holder stops renewing it.
  public func lease(_ deployment: String, owner: String, now: Int64, until: Int64) async throws -> Bool {
    try await sql.transaction { c in
      try await c.execute(
        """
        INSERT INTO rollout_leases (deployment, owner, until) VALUES (?, ?, ?)
        ON CONFLICT (deployment) DO UPDATE SET owner = excluded.owner, until = excluded.until
        WHERE rollout_leases.owner = excluded.owner OR rollout_leases.until < ?
        """,
        [.text(deployment), .text(owner), .int(until), .int(now)])
      return try await c.first("SELECT owner FROM rollout_leases WHERE deployment = ?", [.text(deployment)])?[0].text == owner
    }
  }

  /// Records a rollout decision; committed before the decision takes effect.
  public func save(_ rollout: RolloutState) async throws {
    try await sql.transaction { c in
      try await c.execute(
        "INSERT INTO rollouts (deployment, doc) VALUES (?, ?) ON CONFLICT (deployment) DO UPDATE SET doc = excluded.doc",
        [.text(rollout.deployment), try .json(rollout)])
    }
  }
}
