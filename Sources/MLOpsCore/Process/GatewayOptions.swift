import ArgumentParser
import Foundation

/// The gateway's own flags: keys, limits, deadlines.
public struct GatewayOptions: ParsableArguments, Sendable {
  /// Gateway: whether calls need an API key. `off` exists only for local use.
  @Option(help: "Gateway: on (every call needs an API key) or off, for local use only (env MLOPS_AUTH).")
  public var auth: AuthMode = .on

  /// Gateway: a file holding the admin API key to accept, instead of generating one.
  @Option(name: .customLong("admin-key-file"), help: "Gateway: file with the admin API key to install (env MLOPS_ADMIN_KEY_FILE).")
  public var adminKeyFile: String?

  /// Gateway: calls per second each API key may make (bursts of twice that); 0 means no limit.
  @Option(
    name: .customLong("rate-limit"),
    help: "Gateway: calls per second per API key, bursts of twice that; 0: no limit (env MLOPS_RATE_LIMIT).")
  public var rateLimit: Double = 0

  /// Gateway: how long a forwarded unary call without its own deadline may take; 0: no limit.
  @Option(
    name: .customLong("default-deadline"),
    help: "Gateway: seconds a forwarded unary call without a grpc-timeout may take; 0: no limit (env MLOPS_DEFAULT_DEADLINE).")
  public var defaultDeadlineSeconds: Double = 60

  public init() {}

  public static let environmentFlags = ["auth", "admin-key-file", "rate-limit", "default-deadline"]

  /// ``defaultDeadlineSeconds`` as a duration; nil when 0 (no limit).
  /// - Throws: a validation error for a negative or non-finite value.
  public func defaultDeadline() throws -> Duration? {
    guard defaultDeadlineSeconds.isFinite, (0...86_400).contains(defaultDeadlineSeconds) else {
      throw ValidationError("--default-deadline must be between 0 and 86400 seconds")
    }
    return defaultDeadlineSeconds == 0 ? nil : .milliseconds(Int64(defaultDeadlineSeconds * 1000))
  }

  public mutating func validate() throws {
    _ = try defaultDeadline()
    if !rateLimit.isFinite || rateLimit < 0 {
      throw ValidationError("--rate-limit must be a number of calls per second, 0 or more")
    }
  }
}

/// Whether the gateway checks API keys.
public enum AuthMode: String, ExpressibleByArgument, Sendable, CaseIterable {
  case on, off
}
