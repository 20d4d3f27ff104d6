import ArgumentParser
import Foundation

/// The flags every process takes: where it listens, where its state lives, how it logs and
/// stops. Each has an `MLOPS_<FLAG>` environment fallback (``EnvironmentFallback``), so a
/// Kubernetes manifest configures a process without rewriting its command line.
public struct ServerOptions: ParsableArguments, Sendable {
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

  @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env MLOPS_LOG_LEVEL).")
  public var logLevel: LogLevelOption = .info

  /// The HTTP/2 implementation of the gRPC port; clients see no difference.
  @Option(help: "gRPC transport: nghttp2 or nio (env MLOPS_TRANSPORT).")
  public var transport: WireTransport = .standard

  /// How long SIGTERM waits for in-flight calls before cancelling them.
  @Option(name: .customLong("shutdown-grace"), help: "Seconds to drain in-flight calls on SIGTERM (env MLOPS_SHUTDOWN_GRACE).")
  public var shutdownGraceSeconds: Double = 10

  /// Set by `mlops up`: stop when this process (the launcher) is gone.
  @Option(name: .customLong("parent-pid"), help: .hidden)
  public var parentPID: Int32?

  public init() {}

  /// The flags above that take an environment fallback, by name without dashes.
  public static let environmentFlags = [
    "host", "port", "http-port", "data-dir", "database-url", "log-level", "shutdown-grace", "transport",
  ]

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
    if shutdownGraceSeconds < 0 {
      throw ValidationError("--shutdown-grace must not be negative")
    }
  }
}
