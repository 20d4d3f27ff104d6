import ArgumentParser

/// Which HTTP/2 implementation serves a process's gRPC port (`--transport`, env
/// `MLOPS_TRANSPORT`): libnghttp2 (``NGHTTP2ServerTransport``) or grpc-swift-2's NIO transport,
/// kept as the fallback. Clients see the same API either way.
public enum WireTransport: String, ExpressibleByArgument, CaseIterable, Sendable {
  case nghttp2
  case nio

  /// The transport a process uses when neither the flag nor the environment names one:
  /// nghttp2, since every Swift and Python suite (tritonclient included) passes on it; the NIO
  /// transport stays one flag away, and `make test` runs every suite on both.
  public static let standard = WireTransport.nghttp2

  /// `MLOPS_TRANSPORT` when it names a transport, else ``standard``: what in-process test
  /// servers use, so one suite runs on either transport.
  public static func fromEnvironment(_ environment: [String: String]) -> WireTransport {
    environment["MLOPS_TRANSPORT"].flatMap(WireTransport.init(rawValue:)) ?? standard
  }
}
