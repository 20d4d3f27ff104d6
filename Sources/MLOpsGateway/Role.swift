/// What a key may do, each role including the ones below it (Kubernetes-style RBAC on RPCs).
public enum Role: Int, Codable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
  /// Reads: gets, lists, searches, watches, downloads, predictions.
  case viewer = 1
  /// Writes to experiments, runs, artifacts, models, versions, features, monitors, predictions.
  case editor = 2
  /// Deployments, rollouts, aliases and stages.
  case deployer = 3
  /// API keys and policies.
  case admin = 4

  public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch self {
    case .viewer: "viewer"
    case .editor: "editor"
    case .deployer: "deployer"
    case .admin: "admin"
    }
  }
}
