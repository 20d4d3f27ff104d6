import Foundation

/// A registered version as the router needs it: which one, and the digest its bytes must
/// have.
public struct ResolvedModel: Sendable, Equatable {
  public var name: String
  public var version: Int64
  /// sha256 of the artifact, lower-case hex.
  public var digest: String

  public init(name: String, version: Int64, digest: String) {
    self.name = name
    self.version = version
    self.digest = digest
  }
}

/// Where the router finds models: the registry, over gRPC, in the process; a fake never.
/// Tests use the real registry on loopback.
public protocol ModelSource: Sendable {
  /// The version a selector names now (an alias resolved), checked servable (READY, ONNX).
  /// - Throws: ``ServingError`` naming `field` when the version cannot serve, UNAVAILABLE when
  ///   the registry cannot answer.
  func resolve(_ selector: DeploymentDefinition.ModelSelector, field: String) async throws -> ResolvedModel
  /// The artifact's bytes, written to `file`; the caller checks the digest.
  func download(_ model: ResolvedModel, to file: URL) async throws
}
