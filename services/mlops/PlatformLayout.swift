import ArgumentParser
import Foundation
import MLOpsCore

/// The six processes and where each listens, derived from one base port so that several
/// platforms (a developer's and a test's) can run side by side.
struct PlatformLayout {
  /// A process and its offset from the base port; the gateway sits on the base port.
  struct Entry {
    let name: String
    let offset: Int
  }

  static let entries: [Entry] = [
    Entry(name: "gateway", offset: 0), Entry(name: "tracker", offset: 1),
    Entry(name: "registry", offset: 2), Entry(name: "feature-server", offset: 3),
    Entry(name: "inference-router", offset: 4), Entry(name: "monitor", offset: 5),
  ]

  let host: String
  let basePort: Int

  func grpcPort(_ entry: Entry) -> Int { basePort + entry.offset }
  func httpPort(_ entry: Entry) -> Int { basePort + entry.offset + 1000 }

  /// The peers each process calls, so each gets only the address flags it takes.
  static let peers: [String: [String]] = [
    "registry": ["tracker"],
    "inference-router": ["registry", "feature-server", "monitor"],
    "monitor": ["inference-router"],
    "gateway": ["tracker", "registry", "feature-server", "inference-router", "monitor"],
  ]

  /// `--<peer>-address=host:port` for each peer `process` calls.
  func peerArguments(for process: String) -> [String] {
    (Self.peers[process] ?? []).compactMap { name in
      guard let entry = Self.entries.first(where: { $0.name == name }) else { return nil }
      return "--\(name)-address=\(host):\(grpcPort(entry))"
    }
  }
}

/// Shared flags of the commands that talk to a running platform.
struct EndpointOptions: ParsableArguments {
  @Option(help: "Host the platform listens on (env MLOPS_HOST; default 127.0.0.1).")
  var host: String?

  @Option(name: .customLong("base-port"), help: "gRPC port of the gateway; the others follow it (env MLOPS_BASE_PORT; default 7000).")
  var basePort: Int?

  @Option(
    name: .customLong("api-key"),
    help: "API key for the gateway (env MLOPS_API_KEY; default: the admin key `mlops up` wrote, ./data/gateway/admin.key).")
  var apiKey: String?

  /// The flag, then `MLOPS_HOST`, then 127.0.0.1: every command finds the platform this one way.
  var resolvedHost: String {
    if let host, !host.isEmpty { return host }
    return Self.environment("host").flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
  }

  /// The flag, then `MLOPS_BASE_PORT`, then 7000 (``validate()`` refuses a variable that is
  /// not a port).
  var resolvedBasePort: Int {
    basePort ?? Self.environment("base-port").flatMap { Int($0) } ?? 7000
  }

  var layout: PlatformLayout { PlatformLayout(host: resolvedHost, basePort: resolvedBasePort) }

  /// The variable backing `flag`, named as every process's flags are (`MLOPS_BASE_PORT`).
  static func environment(_ flag: String) -> String? {
    ProcessInfo.processInfo.environment[EnvironmentFallback.variableName(for: flag)]
  }

  /// The key calls carry: the flag, `MLOPS_API_KEY`, or the admin key a local `mlops up`
  /// wrote under `$MLOPS_DATA_DIR` (default ./data); nil when there is none (auth off).
  var resolvedAPIKey: String? {
    if let apiKey, !apiKey.isEmpty { return apiKey }
    if let key = Self.environment("api-key"), !key.isEmpty { return key }
    let file = ((Self.environment("data-dir") ?? "./data") as NSString).appendingPathComponent("gateway/admin.key")
    return FileManager.default.contents(atPath: file).map {
      String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }

  func validate() throws {
    if basePort == nil, let raw = Self.environment("base-port"), !raw.isEmpty, Int(raw) == nil {
      throw ValidationError("MLOPS_BASE_PORT is '\(raw)', not a port number")
    }
    guard (1...(65535 - 1005)).contains(resolvedBasePort) else {
      throw ValidationError("--base-port (or MLOPS_BASE_PORT) must be between 1 and \(65535 - 1005)")
    }
  }
}
