import ArgumentParser
import Foundation

/// Every process flag together: what the runtimes read. Each executable parses only the groups
/// it takes (`tracker --help` lists the server and artifact flags, not the monitor's or the
/// gateway's) and fills this from them; tests parse it whole.
public struct ProcessOptions: ParsableArguments, Sendable {
  @OptionGroup public var server: ServerOptions
  @OptionGroup public var artifacts: ArtifactOptions
  @OptionGroup public var monitoring: MonitorOptions
  @OptionGroup public var gateway: GatewayOptions
  @OptionGroup public var peers: PeerAddresses

  public init() {}

  /// Every flag that takes an environment fallback, by name without dashes.
  public static let environmentFlags: [String] =
    ServerOptions.environmentFlags + ArtifactOptions.environmentFlags + MonitorOptions.environmentFlags
    + GatewayOptions.environmentFlags + PeerAddresses.environmentFlags

  /// Defaults everywhere, then `fill` copies in the groups an executable parsed.
  public static func assembled(_ fill: (inout ProcessOptions) -> Void) throws -> ProcessOptions {
    var options = try ProcessOptions.parse([])
    fill(&options)
    return options
  }

  /// ``GatewayOptions/defaultDeadline()``.
  public func defaultDeadline() throws -> Duration? { try gateway.defaultDeadline() }

  /// The artifact directory: `--artifact-root`, else `artifacts` beside the SQLite file (or
  /// under the data dir when state is in PostgreSQL).
  public func artifactDirectory(process: String, storage: Storage) -> String {
    if let artifactRoot, !artifactRoot.isEmpty { return artifactRoot }
    if case .sqlite(let database) = storage {
      return ((database.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("artifacts")
    }
    return ((dataDirectory ?? "./data/\(process)") as NSString).appendingPathComponent("artifacts")
  }
}

/// The groups' values under their historical names, so runtimes read `options.host`.
extension ProcessOptions {
  public var host: String {
    get { server.host }
    set { server.host = newValue }
  }

  public var port: Int? {
    get { server.port }
    set { server.port = newValue }
  }

  public var httpPort: Int? {
    get { server.httpPort }
    set { server.httpPort = newValue }
  }

  public var dataDirectory: String? {
    get { server.dataDirectory }
    set { server.dataDirectory = newValue }
  }

  public var databaseURL: String? {
    get { server.databaseURL }
    set { server.databaseURL = newValue }
  }

  public var logLevel: LogLevelOption {
    get { server.logLevel }
    set { server.logLevel = newValue }
  }

  public var shutdownGraceSeconds: Double {
    get { server.shutdownGraceSeconds }
    set { server.shutdownGraceSeconds = newValue }
  }

  public var parentPID: Int32? {
    get { server.parentPID }
    set { server.parentPID = newValue }
  }

  public var artifactRoot: String? {
    get { artifacts.artifactRoot }
    set { artifacts.artifactRoot = newValue }
  }

  public var maxArtifactBytes: Int64 {
    get { artifacts.maxArtifactBytes }
    set { artifacts.maxArtifactBytes = newValue }
  }

  public var windowCacheMegabytes: Int {
    get { monitoring.windowCacheMegabytes }
    set { monitoring.windowCacheMegabytes = newValue }
  }

  public var allowPrivateWebhooks: Bool {
    get { monitoring.allowPrivateWebhooks }
    set { monitoring.allowPrivateWebhooks = newValue }
  }

  public var auth: AuthMode {
    get { gateway.auth }
    set { gateway.auth = newValue }
  }

  public var adminKeyFile: String? {
    get { gateway.adminKeyFile }
    set { gateway.adminKeyFile = newValue }
  }

  public var rateLimit: Double {
    get { gateway.rateLimit }
    set { gateway.rateLimit = newValue }
  }

  public var defaultDeadlineSeconds: Double {
    get { gateway.defaultDeadlineSeconds }
    set { gateway.defaultDeadlineSeconds = newValue }
  }
}

/// swift-log levels as a flag value.
public enum LogLevelOption: String, ExpressibleByArgument, Sendable, CaseIterable {
  case trace, debug, info, notice, warning, error, critical
}
