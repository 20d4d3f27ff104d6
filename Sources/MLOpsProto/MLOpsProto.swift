/// The platform's public API as Swift types, generated from `proto/` by `make proto`.
///
/// Everything under `Generated/` is produced by protoc with the plugins built from the pinned
/// swift-protobuf and grpc-swift-protobuf; edit the `.proto` files, never the Swift.
public enum MLOpsProtoInfo {
  /// The API major version every package in `proto/mlops` carries (`.v1`), so clients can
  /// tell which contract a server speaks.
  public static let apiVersion = "v1"
}
