import ArgumentParser
import Foundation

/// The monitor's own flags.
public struct MonitorOptions: ParsableArguments, Sendable {
  /// The monitor keeps recently closed windows decoded in this much memory, so reports on
  /// them do not read a window back from storage.
  @Option(name: .customLong("window-cache-mb"), help: "Monitor: memory for decoded closed windows in MiB (env MLOPS_WINDOW_CACHE_MB).")
  public var windowCacheMegabytes: Int = 512

  /// Monitor: whether webhooks may point at loopback and private-network addresses (link-local
  /// ones, such as the cloud metadata service, never).
  @Option(
    name: .customLong("allow-private-webhooks"),
    help: "Monitor: true to allow webhooks to loopback and private addresses (env MLOPS_ALLOW_PRIVATE_WEBHOOKS).")
  public var allowPrivateWebhooks: Bool = false

  public init() {}

  public static let environmentFlags = ["window-cache-mb", "allow-private-webhooks"]

  public mutating func validate() throws {
    if !(0...(1 << 30)).contains(windowCacheMegabytes) {
      throw ValidationError("--window-cache-mb must be between 0 and \(1 << 30)")
    }
  }
}
