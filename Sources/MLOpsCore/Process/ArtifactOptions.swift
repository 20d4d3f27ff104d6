import ArgumentParser
import Foundation

/// The tracker's and the registry's artifact flags.
public struct ArtifactOptions: ParsableArguments, Sendable {
  /// Where the tracker and registry keep artifact blobs. Replicas sharing one PostgreSQL
  /// database must share this directory too (a ReadWriteMany volume).
  @Option(name: .customLong("artifact-root"), help: "Artifact directory (default <data-dir>/artifacts, env MLOPS_ARTIFACT_ROOT).")
  public var artifactRoot: String?

  /// The largest artifact one upload may carry; larger uploads are RESOURCE_EXHAUSTED.
  @Option(name: .customLong("max-artifact-bytes"), help: "Largest accepted artifact upload in bytes (env MLOPS_MAX_ARTIFACT_BYTES).")
  public var maxArtifactBytes: Int64 = 5 << 30

  public init() {}

  public static let environmentFlags = ["artifact-root", "max-artifact-bytes"]

  public mutating func validate() throws {
    if maxArtifactBytes < 0 {
      throw ValidationError("--max-artifact-bytes must not be negative")
    }
  }
}
