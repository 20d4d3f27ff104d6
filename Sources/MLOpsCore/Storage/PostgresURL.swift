import Foundation

/// A parsed `postgres://user:password@host:port/database` URL (also `postgresql://`), the form
/// Kubernetes secrets and every PostgreSQL tool use.
public struct PostgresURL: Sendable, Equatable {
  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String

  public init?(_ string: String) {
    guard let components = URLComponents(string: string),
      let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql",
      let host = components.host, !host.isEmpty,
      let user = components.user, !user.isEmpty
    else { return nil }
    let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    guard !database.isEmpty, !database.contains("/") else { return nil }
    self.host = host
    self.port = components.port ?? 5432
    self.username = user.removingPercentEncoding ?? user
    self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
    self.database = database
  }

  /// The URL without its password, for logs and error messages.
  public var redacted: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}
