import ArgumentParser
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

  /// The peer-address flags every process gets, pointing at this layout.
  var peerArguments: [String] {
    ["tracker", "registry", "feature-server", "inference-router", "monitor"].compactMap { name in
      guard let entry = Self.entries.first(where: { $0.name == name }) else { return nil }
      return "--\(name)-address=\(host):\(grpcPort(entry))"
    }
  }
}

/// Shared flags of the commands that talk to a running platform.
struct EndpointOptions: ParsableArguments {
  @Option(help: "Host the platform listens on (env MLOPS_HOST).")
  var host: String = "127.0.0.1"

  @Option(name: .customLong("base-port"), help: "gRPC port of the gateway; the others follow it (env MLOPS_BASE_PORT).")
  var basePort: Int = 7000

  var layout: PlatformLayout { PlatformLayout(host: host, basePort: basePort) }

  func validate() throws {
    guard (1...(65535 - 1005)).contains(basePort) else {
      throw ValidationError("--base-port must be between 1 and \(65535 - 1005)")
    }
  }
}
