import GRPCCore
import MLOpsProto
import SwiftProtobuf

extension Mlops_Common_V1_ErrorDetails {
  /// The trailing-metadata key that carries these details, as `mlops.common.v1.ErrorDetails`
  /// documents: clients in any language decode it to learn the failing field without parsing
  /// the message.
  public static let metadataKey = "mlops-error-details-bin"

  /// Details naming one bad field.
  public init(reason: String, field: String, description: String) {
    self.init()
    self.reason = reason
    self.violations = [
      .with {
        $0.field = field
        $0.description_p = description
      }
    ]
  }

  /// These details as call metadata, for `RPCErrorConvertible.rpcErrorMetadata`.
  public var metadata: Metadata {
    guard let bytes: [UInt8] = try? serializedBytes() else { return [:] }
    var metadata = Metadata()
    metadata.addBinary(bytes, forKey: Self.metadataKey)
    return metadata
  }

  /// Decodes the details a failed call carries, if any.
  public init?(from metadata: Metadata) {
    guard let bytes = metadata[binaryValues: Self.metadataKey].first(where: { _ in true }),
      let details = try? Self(serializedBytes: bytes)
    else { return nil }
    self = details
  }
}
