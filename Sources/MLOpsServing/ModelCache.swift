import Foundation
import MLOpsCore
import MLOpsRuntime
import Synchronization

/// Loaded models by content digest, backed by files under the router's data dir: a restart,
/// or a second deployment of the same version, loads from disk instead of downloading, and
/// two variants of one version share one plan. Every file is checked against its digest
/// before it is loaded, so a damaged cache file is downloaded again, never run.
public final class ModelCache: Sendable {
  let directory: URL
  let source: any ModelSource
  private let loaded = Mutex<[String: Model]>([:])

  public init(directory: URL, source: any ModelSource) {
    self.directory = directory
    self.source = source
  }

  /// The runtime model for `resolved`, loading (and downloading) it if needed.
  /// - Throws: FAILED_PRECONDITION naming `field` when the runtime refuses the model,
  ///   UNAVAILABLE or DATA_LOSS when its bytes cannot be had intact.
  public func model(for resolved: ResolvedModel, field: String) async throws -> Model {
    if let model = loaded.withLock({ $0[resolved.digest] }) { return model }
    let bytes = try await verifiedBytes(resolved, field: field)
    let model: Model
    do {
      model = try Model(bytes: bytes)
    } catch {
      throw ServingError.failedPrecondition(
        field: field, reason: "\(resolved.name) version \(resolved.version) cannot be loaded by the runtime: \(error)")
    }
    return loaded.withLock { cache in
      if let existing = cache[resolved.digest] { return existing }
      cache[resolved.digest] = model
      return model
    }
  }

  /// The artifact from the disk cache when intact, else from the source, verified and kept.
  private func verifiedBytes(_ resolved: ResolvedModel, field: String) async throws -> Data {
    guard resolved.digest.count == 64, resolved.digest.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
      throw ServingError.failedPrecondition(field: field, reason: "\(resolved.name) version \(resolved.version) has no content digest")
    }
    let file = directory.appendingPathComponent("\(resolved.digest).onnx")
    if let data = try? Data(contentsOf: file), Self.digest(data) == resolved.digest { return data }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let partial = directory.appendingPathComponent("\(resolved.digest).\(UUID().uuidString).partial")
    defer { try? FileManager.default.removeItem(at: partial) }
    try await source.download(resolved, to: partial)
    let data = try Data(contentsOf: partial)
    guard Self.digest(data) == resolved.digest else {
      throw ServingError.dataLoss("\(field): the artifact of \(resolved.name) version \(resolved.version) does not match its digest")
    }
    _ = rename(partial.path, file.path)  // atomic: a reader sees the whole file or none
    return data
  }

  static func digest(_ data: Data) -> String {
    var stream = SHA256Stream()
    stream.update(data)
    return stream.hex()
  }
}
