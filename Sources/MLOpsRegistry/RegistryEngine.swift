import Foundation
import MLOpsCore

/// The registry's rules, independent of the wire: validation, version numbering, aliases,
/// stages, reviews and the audit trail. Every change goes through ``ModelRepository/modify``
/// and names its audit events there. Knows no protobuf.
public struct RegistryEngine: Sendable {
  public enum Limits {
    public static let name = 256
    public static let tagKey = TagRules.keyLimit
    public static let tagValue = TagRules.valueLimit
  }

  let models: ModelRepository
  let runs: any RunLookup
  let blobs: BlobStore
  let maxArtifactBytes: Int64
  let clock: @Sendable () -> Int64

  public init(
    models: ModelRepository, runs: any RunLookup, blobs: BlobStore, maxArtifactBytes: Int64,
    clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
  ) {
    self.models = models
    self.runs = runs
    self.blobs = blobs
    self.maxArtifactBytes = maxArtifactBytes
    self.clock = clock
  }

  /// The identity recorded in the audit trail when the caller sent none.
  static func actorName(_ actor: String) -> String { actor.isEmpty ? "anonymous" : actor }

  static func validateName(_ name: String, field: String = "name") throws {
    guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw RegistryError.invalidArgument(field: field, reason: "must not be empty")
    }
    guard name.count <= Limits.name else {
      throw RegistryError.invalidArgument(field: field, reason: "is longer than \(Limits.name) characters")
    }
    guard !name.contains("/"), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
      throw RegistryError.invalidArgument(field: field, reason: "'\(name)' may not contain '/' or control characters")
    }
  }

  /// One tag against MLflow's limits (``TagRules``), naming `field.key` or `field.value`.
  static func validateTag(key: String, value: String, field: String) throws {
    if let broken = TagRules.violation(key: key, value: value) {
      throw RegistryError.invalidArgument(field: "\(field).\(broken.part)", reason: broken.reason)
    }
  }

  /// Every tag of a request; the last value of a repeated key wins.
  static func validateTags(_ tags: [(String, String)], field: String = "tags") throws -> [String: String] {
    try TagRules.validate(tags, field: field) { RegistryError.invalidArgument(field: $0, reason: $1) }
  }

  static func validateVersion(_ version: Int64) throws {
    guard version > 0 else { throw RegistryError.invalidArgument(field: "version", reason: "must be a positive version number") }
  }

  /// The version or NOT_FOUND.
  static func version(_ number: Int64, of aggregate: ModelAggregate) throws -> ModelVersionRecord {
    guard let version = aggregate.versions[number] else {
      throw RegistryError.versionNotFound(model: aggregate.model.name, version: number)
    }
    return version
  }
}
