import Foundation
import ArgumentParser

/// The flags every platform process accepts. Each has an `MLOPS_<FLAG>` environment fallback
/// (see ``EnvironmentFallback``) so a Kubernetes manifest can configure a process without
/// rewriting its command line.
public struct ProcessOptions: ParsableArguments, Sendable {
  /// Address to bind the gRPC and HTTP listeners to. Loopback by default so a laptop run is
  /// not exposed; containers pass `0.0.0.0`.
  @Option(help: "Address to bind to (env MLOPS_HOST).")
  public var host: String = "127.0.0.1"

  /// gRPC port; nil means the process's documented default (7000–7005). 0 picks a free port.
  @Option(help: "gRPC port; the HTTP /metrics and /healthz port is this + 1000 (env MLOPS_PORT).")
  public var port: Int?

  /// Overrides the HTTP port when `port + 1000` does not fit (tests use 0 for any free port).
  @Option(name: .customLong("http-port"), help: "HTTP port for /metrics and /healthz (env MLOPS_HTTP_PORT).")
  public var httpPort: Int?

  /// Directory of the embedded SQLite database and artifact files.
  @Option(name: .customLong("data-dir"), help: "Directory for embedded storage (default ./data/<process>, env MLOPS_DATA_DIR).")
  public var dataDirectory: String?

  /// When set, state lives in PostgreSQL instead of SQLite, so replicas can share it.
  @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database (env MLOPS_DATABASE_URL).")
  public var databaseURL: String?

  /// Where the tracker and registry keep artifact blobs. Replicas sharing one PostgreSQL
  /// database must share this directory too (a ReadWriteMany volume).
  @Option(name: .customLong("artifact-root"), help: "Artifact directory (default <data-dir>/artifacts, env MLOPS_ARTIFACT_ROOT).")
  public var artifactRoot: String?

  /// The largest artifact one upload may carry; larger uploads are RESOURCE_EXHAUSTED.
  @Option(name: .customLong("max-artifact-bytes"), help: "Largest accepted artifact upload in bytes (env MLOPS_MAX_ARTIFACT_BYTES).")
  public var maxArtifactBytes: Int64 = 5 << 30

  /// The monitor keeps recently closed windows decoded in this much memory, so reports on
  /// them do not read a window back from storage.
  @Option(name: .customLong("window-cache-mb"), help: "Monitor: memory for decoded closed windows in MiB (env MLOPS_WINDOW_CACHE_MB).")
  public var windowCacheMegabytes: Int = 512

  @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env MLOPS_LOG_LEVEL).")
  public var logLevel: LogLevelOption = .info

  /// How long SIGTERM waits for in-flight calls before cancelling them.
  @Option(name: .customLong("shutdown-grace"), help: "Seconds to drain in-flight calls on SIGTERM (env MLOPS_SHUTDOWN_GRACE).")
  public var shutdownGraceSeconds: Double = 10

  /// Monitor: whether webhooks may point at loopback and private-network addresses (link-local
  /// ones, such as the cloud metadata service, never).
  @Option(name: .customLong("allow-private-webhooks"), help: "Monitor: true to allow webhooks to loopback and private addresses (env MLOPS_ALLOW_PRIVATE_WEBHOOKS).")
  public var allowPrivateWebhooks: Bool = false

  /// Gateway: whether calls need an API key. `off` exists only for local use.
  @Option(help: "Gateway: on (every call needs an API key) or off, for local use only (env MLOPS_AUTH).")
  public var auth: AuthMode = .on

  /// Gateway: a file holding the admin API key to accept, instead of generating one.
  @Option(name: .customLong("admin-key-file"), help: "Gateway: file with the admin API key to install (env MLOPS_ADMIN_KEY_FILE).")
  public var adminKeyFile: String?

  /// Gateway: calls per second each API key may make (bursts of twice that); 0 means no limit.
  @Option(name: .customLong("rate-limit"), help: "Gateway: calls per second per API key, bursts of twice that; 0: no limit (env MLOPS_RATE_LIMIT).")
  public var rateLimit: Double = 0

  /// Gateway: how long a forwarded unary call without its own deadline may take; 0: no limit.
  @Option(
    name: .customLong("default-deadline"),
    help: "Gateway: seconds a forwarded unary call without a grpc-timeout may take; 0: no limit (env MLOPS_DEFAULT_DEADLINE).")
  public var defaultDeadlineSeconds: Double = 60

  /// Set by `mlops up`: stop when this process (the launcher) is gone.
  @Option(name: .customLong("parent-pid"), help: .hidden)
  public var parentPID: Int32?

  @OptionGroup public var peers: PeerAddresses

  public init() {}

  /// ``defaultDeadlineSeconds`` as a duration; nil when 0 (no limit).
  /// - Throws: a validation error for a negative or non-finite value.
  public func defaultDeadline() throws -> Duration? {
    guard defaultDeadlineSeconds.isFinite, (0...86_400).contains(defaultDeadlineSeconds) else {
      throw ValidationError("--default-deadline must be between 0 and 86400 seconds")
    }
    return defaultDeadlineSeconds == 0 ? nil : .milliseconds(Int64(defaultDeadlineSeconds * 1000))
  }

  /// The artifact directory: `--artifact-root`, else `artifacts` beside the SQLite file (or
  /// under the data dir when state is in PostgreSQL).
  public func artifactDirectory(process: String, storage: Storage) -> String {
    if let artifactRoot, !artifactRoot.isEmpty { return artifactRoot }
    if case .sqlite(let database) = storage {
      return ((database.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("artifacts")
    }
    return ((dataDirectory ?? "./data/\(process)") as NSString).appendingPathComponent("artifacts")
  }

  /// Every flag that takes an environment fallback, by name without dashes.
  public static let environmentFlags: [String] =
    [
      "host", "port", "http-port", "data-dir", "database-url", "artifact-root", "max-artifact-bytes",
      "window-cache-mb", "log-level", "shutdown-grace", "auth", "admin-key-file", "rate-limit", "default-deadline", "allow-private-webhooks",
    ]
    + PeerAddresses.environmentFlags

  public mutating func validate() throws {
    if let port, !(0...65535).contains(port) {
      throw ValidationError("--port must be between 0 and 65535, got \(port)")
    }
    if let httpPort, !(0...65535).contains(httpPort) {
      throw ValidationError("--http-port must be between 0 and 65535, got \(httpPort)")
    }
    if let url = databaseURL, !url.isEmpty, PostgresURL(url) == nil {
      throw ValidationError("--database-url must look like postgres://user:password@host:5432/database")
    }
    if maxArtifactBytes < 0 {
      throw ValidationError("--max-artifact-bytes must not be negative")
    }
    _ = try defaultDeadline()
    if !(0...(1 << 30)).contains(windowCacheMegabytes) {
      throw ValidationError("--window-cache-mb must be between 0 and \(1 << 30)")
    }
    if !rateLimit.isFinite || rateLimit < 0 {
      throw ValidationError("--rate-limit must be a number of calls per second, 0 or more")
    }
    if shutdownGraceSeconds < 0 {
      throw ValidationError("--shutdown-grace must not be negative")
    }
  }
}

/// Whether the gateway checks API keys.
public enum AuthMode: String, ExpressibleByArgument, Sendable, CaseIterable {
  case on, off
}

/// Where the other processes listen. Flags, so Kubernetes DNS names work unchanged.
public struct PeerAddresses: ParsableArguments, Sendable {
  @Option(name: .customLong("tracker-address"), help: "host:port of the tracker, or several comma-separated (env MLOPS_TRACKER_ADDRESS).")
  public var tracker: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7001)
  @Option(name: .customLong("registry-address"), help: "host:port of the registry, or several comma-separated (env MLOPS_REGISTRY_ADDRESS).")
  public var registry: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7002)
  @Option(name: .customLong("feature-server-address"), help: "host:port of the feature-server, or several comma-separated (env MLOPS_FEATURE_SERVER_ADDRESS).")
  public var featureServer: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7003)
  @Option(name: .customLong("inference-router-address"), help: "host:port of the inference-router, or several comma-separated (env MLOPS_INFERENCE_ROUTER_ADDRESS).")
  public var inferenceRouter: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7004)
  @Option(name: .customLong("monitor-address"), help: "host:port of the monitor, or several comma-separated (env MLOPS_MONITOR_ADDRESS).")
  public var monitor: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7005)

  public init() {}

  static let environmentFlags = [
    "tracker-address", "registry-address", "feature-server-address",
    "inference-router-address", "monitor-address",
  ]
}

/// A peer's `host:port`, or several comma-separated (`a:7001,b:7001`) for replicas that calls
/// are spread over round-robin; parsed strictly so a typo fails at start-up rather than at
/// first call. A host name may itself resolve to several addresses (a Kubernetes headless
/// Service); each address is a replica.
public struct PeerAddress: ExpressibleByArgument, Sendable, Hashable, CustomStringConvertible {
  /// One `host:port` of the peer.
  public struct Host: Sendable, Hashable {
    public var host: String
    public var port: Int
  }

  /// Every configured `host:port`, in the order given; never empty.
  public private(set) var hosts: [Host]
  /// The first host, which names the peer in messages and as its `:authority`.
  public var host: String { hosts[0].host }
  public var port: Int { hosts[0].port }

  public init(host: String, port: Int) {
    self.hosts = [Host(host: host, port: port)]
  }

  public init?(argument: String) {
    var hosts: [Host] = []
    for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
      guard let colon = part.lastIndex(of: ":") else { return nil }
      let host = String(part[..<colon])
      guard !host.isEmpty, let port = Int(part[part.index(after: colon)...]), (1...65535).contains(port) else { return nil }
      hosts.append(Host(host: host, port: port))
    }
    guard (1...64).contains(hosts.count) else { return nil }
    self.hosts = hosts
  }

  public var description: String { hosts.map { "\($0.host):\($0.port)" }.joined(separator: ",") }
  public var defaultValueDescription: String { description }
}

/// swift-log levels as a flag value.
public enum LogLevelOption: String, ExpressibleByArgument, Sendable, CaseIterable {
  case trace, debug, info, notice, warning, error, critical
}
