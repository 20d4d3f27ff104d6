import ArgumentParser
import Foundation

/// Where the other processes listen, one group per peer so each process takes only the
/// peers it calls. Flags, so Kubernetes DNS names work unchanged. This one: the tracker's.
public struct TrackerPeer: ParsableArguments, Sendable {
  @Option(name: .customLong("tracker-address"), help: "host:port of the tracker, or several comma-separated (env MLOPS_TRACKER_ADDRESS).")
  public var address: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7001)

  public init() {}

  public static let environmentFlags = ["tracker-address"]
}

/// The registry's address, for the processes that call it.
public struct RegistryPeer: ParsableArguments, Sendable {
  @Option(
    name: .customLong("registry-address"), help: "host:port of the registry, or several comma-separated (env MLOPS_REGISTRY_ADDRESS).")
  public var address: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7002)

  public init() {}

  public static let environmentFlags = ["registry-address"]
}

/// The feature-server's address, for the processes that call it.
public struct FeatureServerPeer: ParsableArguments, Sendable {
  @Option(
    name: .customLong("feature-server-address"),
    help: "host:port of the feature-server, or several comma-separated (env MLOPS_FEATURE_SERVER_ADDRESS).")
  public var address: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7003)

  public init() {}

  public static let environmentFlags = ["feature-server-address"]
}

/// The inference-router's address, for the processes that call it.
public struct InferenceRouterPeer: ParsableArguments, Sendable {
  @Option(
    name: .customLong("inference-router-address"),
    help: "host:port of the inference-router, or several comma-separated (env MLOPS_INFERENCE_ROUTER_ADDRESS).")
  public var address: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7004)

  public init() {}

  public static let environmentFlags = ["inference-router-address"]
}

/// The monitor's address, for the processes that call it.
public struct MonitorPeer: ParsableArguments, Sendable {
  @Option(name: .customLong("monitor-address"), help: "host:port of the monitor, or several comma-separated (env MLOPS_MONITOR_ADDRESS).")
  public var address: PeerAddress = PeerAddress(host: "127.0.0.1", port: 7005)

  public init() {}

  public static let environmentFlags = ["monitor-address"]
}

/// Every peer: the gateway's, and the union ``ProcessOptions`` holds.
public struct PeerAddresses: ParsableArguments, Sendable {
  @OptionGroup public var trackerPeer: TrackerPeer
  @OptionGroup public var registryPeer: RegistryPeer
  @OptionGroup public var featureServerPeer: FeatureServerPeer
  @OptionGroup public var inferenceRouterPeer: InferenceRouterPeer
  @OptionGroup public var monitorPeer: MonitorPeer

  public init() {}

  public var tracker: PeerAddress {
    get { trackerPeer.address }
    set { trackerPeer.address = newValue }
  }

  public var registry: PeerAddress {
    get { registryPeer.address }
    set { registryPeer.address = newValue }
  }

  public var featureServer: PeerAddress {
    get { featureServerPeer.address }
    set { featureServerPeer.address = newValue }
  }

  public var inferenceRouter: PeerAddress {
    get { inferenceRouterPeer.address }
    set { inferenceRouterPeer.address = newValue }
  }

  public var monitor: PeerAddress {
    get { monitorPeer.address }
    set { monitorPeer.address = newValue }
  }

  public static let environmentFlags =
    TrackerPeer.environmentFlags + RegistryPeer.environmentFlags + FeatureServerPeer.environmentFlags + InferenceRouterPeer.environmentFlags
    + MonitorPeer.environmentFlags
}
