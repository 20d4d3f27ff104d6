import Foundation
import MLOpsCore
import MLOpsRuntime

/// Model artifacts: stored content-addressed, checked by the platform's own ONNX runtime
/// before a version becomes READY, verified on every download.
extension RegistryEngine {
  /// Stores the artifact of a PENDING (or FAILED) ONNX version. A model the runtime cannot
  /// run, or whose graph disagrees with the signature, marks the version FAILED_REGISTRATION
  /// with the reason and answers FAILED_PRECONDITION.
  public func uploadArtifact(
    name: String, version: Int64, expectedSHA256: String, declaredSize: Int64,
    chunks: some AsyncSequence<Data, any Error>, actor: String
  ) async throws -> VersionDetails {
    try Self.validateName(name, field: "header.name")
    guard version > 0 else { throw RegistryError.invalidArgument(field: "header.version", reason: "must be a positive version number") }
    let expectation = try expectation(expectedSHA256: expectedSHA256, declaredSize: declaredSize)
    guard let aggregate = try await models.load(name: name, scope: .version(version)) else { throw RegistryError.modelNotFound(name) }
    let record = try Self.version(version, of: aggregate)
    guard record.format == "onnx" else {
      throw RegistryError.failedPrecondition(
        field: "header.version", reason: "version \(version) is a '\(record.format)' model; it has no artifact to upload")
    }
    guard record.status != .ready else {
      throw RegistryError.failedPrecondition(
        field: "header.version", reason: "version \(version) already has its artifact; register a new version instead")
    }
    let (stored, bytes) = try await blobs.ingest(chunks, expect: expectation, keepingBytes: true)
    let problem = Self.check(bytes ?? Data(), against: record.signature)
    let now = clock()
    let actor = Self.actorName(actor)
    let details = try await models.modify(name: name, scope: .version(version)) { aggregate in
      let before = try Self.version(version, of: aggregate)
      // Another upload may have completed meanwhile: a READY version's artifact never changes.
      guard before.status != .ready else {
        throw RegistryError.failedPrecondition(
          field: "header.version", reason: "version \(version) already has its artifact; register a new version instead")
      }
      var after = before
      after.contentDigest = stored.sha256
      after.sizeBytes = stored.size
      after.status = problem == nil ? .ready : .failedRegistration
      after.statusMessage = problem ?? ""
      after.lastUpdatedTime = now
      aggregate.versions[version] = after
      return (
        aggregate.details(version)!,
        [
          AuditRecord(
            time: now, actor: actor, action: "UploadModelArtifact", modelName: name, version: version,
            eventType: problem == nil ? .versionReady : nil,
            before: RegistryCoding.encode(["sha256": before.contentDigest, "status": "\(before.status)"]),
            after: RegistryCoding.encode(["sha256": stored.sha256, "size_bytes": String(stored.size), "status": problem ?? "READY"]))
        ]
      )
    }
    if let problem { throw RegistryError.failedPrecondition(field: "chunk", reason: "the model cannot be registered: \(problem)") }
    return details
  }

  func expectation(expectedSHA256: String, declaredSize: Int64) throws -> BlobStore.Expectation {
    let digest = expectedSHA256.lowercased()
    guard digest.isEmpty || BlobStore.isDigest(digest) else {
      throw RegistryError.invalidArgument(field: "header.expected_sha256", reason: "must be 64 hexadecimal characters")
    }
    guard declaredSize >= 0 else { throw RegistryError.invalidArgument(field: "header.size_bytes", reason: "must not be negative") }
    if declaredSize > maxArtifactBytes { throw BlobError.tooLarge(field: "header.size_bytes", limit: maxArtifactBytes) }
    return BlobStore.Expectation(
      limit: maxArtifactBytes, sha256: digest.isEmpty ? nil : digest, size: declaredSize > 0 ? declaredSize : nil,
      sizeField: "header.size_bytes", digestField: "header.expected_sha256")
  }

  /// Why the uploaded bytes cannot be registered, or nil: they must pass the runtime's load
  /// checks (``Model/check(bytes:limits:)``: everything loading verifies, without copying the
  /// weights out), and agree with the signature when it lists columns.
  static func check(_ bytes: Data, against signature: Signature) -> String? {
    do {
      let model = try Model.check(bytes: bytes)
      if signature.inputs.isEmpty && signature.outputs.isEmpty { return nil }
      return SignatureCheck.disagreement(inputs: model.inputs, outputs: model.outputs, signature)
    } catch {
      return "\(error)"
    }
  }

  /// The version and its artifact, verified against the recorded digest before any byte is
  /// handed out.
  public func downloadArtifact(name: String, version: Int64) async throws -> (VersionDetails, VerifiedBlob) {
    let details = try await self.version(name: name, version: version)
    guard !details.record.contentDigest.isEmpty else {
      throw RegistryError.failedPrecondition(
        field: "version", reason: "version \(version) has no artifact yet (status \(details.record.status))")
    }
    return (details, try blobs.openVerified(sha256: details.record.contentDigest, size: details.record.sizeBytes))
  }
}
