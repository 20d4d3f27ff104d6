import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// ``ModelSource`` over the registry's gRPC API (`--registry-address`).
public struct RegistryModelSource: ModelSource {
  let peer: GRPCClientService
  let timeout: Duration

  public init(peer: GRPCClientService, timeout: Duration = .seconds(10)) {
    self.peer = peer
    self.timeout = timeout
  }

  public func resolve(_ selector: DeploymentDefinition.ModelSelector, field: String) async throws -> ResolvedModel {
    let registry = Mlops_Registry_V1_RegistryService.Client(wrapping: peer.client)
    var options = CallOptions.defaults
    options.timeout = timeout
    let version: Mlops_Registry_V1_ModelVersion
    do {
      if let alias = selector.alias {
        version = try await registry.getModelVersionByAlias(
          .with {
            $0.name = selector.modelName
            $0.alias = alias
          }, options: options
        ).modelVersion
      } else {
        version = try await registry.getModelVersion(
          .with {
            $0.name = selector.modelName
            $0.version = selector.version ?? 0
          }, options: options
        ).modelVersion
      }
    } catch let error as RPCError {
      throw relayed(error, field: field)
    }
    guard version.status == .ready else {
      throw ServingError.failedPrecondition(
        field: field, reason: "\(selector.modelName) version \(version.version) is \(version.status) (\(version.statusMessage)), not READY")
    }
    guard version.format == "onnx" else {
      throw ServingError.failedPrecondition(
        field: field, reason: "\(selector.modelName) version \(version.version) has format '\(version.format)'; the router runs 'onnx'")
    }
    return ResolvedModel(name: version.name, version: version.version, digest: version.contentDigest.lowercased())
  }

  public func download(_ model: ResolvedModel, to file: URL) async throws {
    let registry = Mlops_Registry_V1_RegistryService.Client(wrapping: peer.client)
    guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
      throw ServingError.unavailable("cannot write the model cache file \(file.path)")
    }
    defer { try? handle.close() }
    do {
      try await registry.downloadModelArtifact(
        request: .init(
          message: .with {
            $0.name = model.name
            $0.version = model.version
          })
      ) { response in
        for try await message in response.messages {
          if case .chunk(let bytes) = message.part { try handle.write(contentsOf: bytes) }
        }
      }
      try handle.synchronize()
    } catch let error as RPCError {
      throw relayed(error, field: "model")
    }
  }

  /// The registry's refusal in the router's terms: an unknown model or version is the
  /// deployment's problem (FAILED_PRECONDITION naming the variant); a registry that cannot
  /// answer is UNAVAILABLE naming it.
  private func relayed(_ error: RPCError, field: String) -> ServingError {
    if error.isPeerFailure { return .unavailable("\(field): the registry (\(peer.peer)) is unavailable: \(error.message)") }
    if error.code == .dataLoss { return .dataLoss("\(field): the registry reported the artifact damaged: \(error.message)") }
    return .failedPrecondition(field: field, reason: "the registry says: \(error.message)")
  }
}
