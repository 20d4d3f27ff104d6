import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto

/// Registry calls through the gateway, as the identity `--as` names (until the gateway
/// authenticates API keys, the caller states who it is in `x-mlops-actor`).
enum RegistryCall {
  typealias Client = Mlops_Registry_V1_RegistryService.Client<HTTP2ClientTransport.Posix>

  static func run<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  /// Streams a version's artifact: the header (the digest and size the registry checks), then
  /// the bytes `chunks` writes; answers the version as the upload left it.
  static func upload(
    _ registry: Client, name: String, version: Int64, sha256: String, size: Int64, metadata: Metadata = [:],
    chunks: @escaping @Sendable (RPCWriter<Mlops_Registry_V1_UploadModelArtifactRequest>) async throws -> Void
  ) async throws -> Mlops_Registry_V1_ModelVersion {
    try await registry.uploadModelArtifact(metadata: metadata) { writer in
      try await writer.write(
        .with {
          $0.header = .with {
            $0.name = name
            $0.version = version
            $0.expectedSha256 = sha256
            $0.sizeBytes = size
          }
        })
      try await chunks(writer)
    }.modelVersion
  }

  static func stageName(_ stage: Mlops_Registry_V1_Stage) -> String {
    switch stage {
    case .staging: "Staging"
    case .production: "Production"
    case .archived: "Archived"
    default: "None"
    }
  }

  static func statusName(_ status: Mlops_Registry_V1_ModelVersionStatus) -> String {
    switch status {
    case .pendingRegistration: "PENDING_REGISTRATION"
    case .failedRegistration: "FAILED_REGISTRATION"
    case .ready: "READY"
    default: "UNSPECIFIED"
    }
  }

  /// A signature file: {"inputs": [{"name": "X", "type": "float", "shape": [-1, 8]}], "outputs": [...]}.
  static func signature(file: String) throws -> Mlops_Registry_V1_ModelSignature {
    guard let data = FileManager.default.contents(atPath: file),
      let signature = try? JSONDecoder().decode(SignatureFile.self, from: data)
    else { throw StartupError("\(file) is not a JSON object with \"inputs\" and \"outputs\"") }
    func columns(_ key: String, _ columns: [SignatureFile.Column]?) throws -> [Mlops_Common_V1_ColumnSchema] {
      try (columns ?? []).enumerated().map { index, column in
        let type = (column.type ?? "").lowercased()
        guard let wire = valueTypes[type] else {
          throw StartupError("\(file): \(key)[\(index)].type '\(type)' is not one of \(valueTypes.keys.sorted().joined(separator: ", "))")
        }
        return .with {
          $0.name = column.name ?? ""
          $0.type = wire
          $0.shape = column.shape ?? []
          $0.nullable = column.nullable ?? false
        }
      }
    }
    let inputs = try columns("inputs", signature.inputs)
    let outputs = try columns("outputs", signature.outputs)
    return .with {
      $0.inputs = inputs
      $0.outputs = outputs
    }
  }

  /// The signature file's JSON; every field may be left out.
  struct SignatureFile: Decodable {
    struct Column: Decodable {
      var name: String?
      var type: String?
      var shape: [Int64]?
      var nullable: Bool?
    }

    var inputs: [Column]?
    var outputs: [Column]?
  }

  static let valueTypes: [String: Mlops_Common_V1_ValueType] = [
    "int64": .int64, "double": .double, "float": .float, "string": .string, "bool": .bool, "bytes": .bytes,
    "int64_list": .int64List, "double_list": .doubleList, "float_list": .floatList, "string_list": .stringList, "bool_list": .boolList,
  ]
}

/// Who the CLI acts as: `--as`, else the login name.
struct ActorOption: ParsableArguments {
  @Option(name: .customLong("as"), help: "Identity recorded in the audit trail (default: $USER).")
  var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "cli"

  var metadata: Metadata { ["x-mlops-actor": "\(actor)"] }
}
