import MLOpsCore

/// The router's versioned schema: each deployment a JSON document of its domain record beside
/// the columns lookups and optimistic updates need. Append new migrations; never edit one.
public enum ServingSchema {
  public static let migrations: [Migration] = [
    Migration(version: 1, name: "deployments", sqlite: tables(integer: "INTEGER"), postgres: tables(integer: "BIGINT")),
    Migration(version: 2, name: "rollouts", sqlite: rollouts, postgres: rollouts),
    Migration(
      version: 3, name: "rollout leases",
      sqlite: ["CREATE TABLE rollout_leases (deployment TEXT PRIMARY KEY, owner TEXT NOT NULL, until INTEGER NOT NULL)"],
      postgres: ["CREATE TABLE rollout_leases (deployment TEXT PRIMARY KEY, owner TEXT NOT NULL, until BIGINT NOT NULL)"]),
  ]

  static let rollouts = ["CREATE TABLE rollouts (deployment TEXT PRIMARY KEY, doc TEXT NOT NULL)"]

  static func tables(integer: String) -> [String] {
    ["CREATE TABLE deployments (name TEXT PRIMARY KEY, generation \(integer) NOT NULL, doc TEXT NOT NULL)"]
  }
}
