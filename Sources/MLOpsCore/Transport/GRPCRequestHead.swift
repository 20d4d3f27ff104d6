import Foundation
import GRPCCore

/// A request's HEADERS read by gRPC's rules: the method from `:path`, the metadata from every
/// other field (`-bin` values base64-decoded), or the answer that refuses it. A malformed
/// `grpc-timeout` is set aside under ``GRPCTimeout/rejectedKey`` so the observability
/// interceptor answers INVALID_ARGUMENT naming it, as on the NIO transport.
struct GRPCRequestHead {
  /// Why a request is answered without reaching a handler.
  enum Refusal: Error, Equatable {
    /// Not gRPC at all: answered with this HTTP status and no gRPC trailers.
    case http(Int)
    /// gRPC, but not servable: a Trailers-Only answer.
    case grpc(Status.Code, String)
  }

  var method: String = ""
  var path: String = ""
  var contentType: String?
  var metadata = Metadata()

  /// Adds one header field as nghttp2 delivered it (names already lower case).
  mutating func add(name: String, value: String) {
    switch name {
    case ":method": method = value
    case ":path": path = value
    case ":scheme", ":authority": return
    case "content-type":
      contentType = value
      metadata.addString(value, forKey: name)
    case "grpc-timeout":
      if GRPCTimeout.parse(value) == nil {
        metadata.addString(String(value.prefix(32)), forKey: GRPCTimeout.rejectedKey)
      } else {
        metadata.addString(value, forKey: name)
      }
    default:
      if name.hasSuffix("-bin") {
        guard let bytes = Self.base64(value) else { return }
        metadata.addBinary(bytes, forKey: name)
      } else {
        metadata.addString(value, forKey: name)
      }
    }
  }

  /// Refuses what is not a gRPC call this server can read (method, content type, encoding).
  func validate() throws(Refusal) {
    guard method == "POST" else { throw .http(405) }
    guard let contentType,
      contentType == "application/grpc" || contentType.hasPrefix("application/grpc+")
        || contentType.hasPrefix("application/grpc;")
    else { throw .http(415) }
    for encoding in metadata[stringValues: "grpc-encoding"] where encoding != "identity" {
      throw .grpc(.unimplemented, "grpc-encoding '\(encoding.prefix(64))' is not supported; send identity (uncompressed) messages")
    }
  }

  /// The method called, or why the call is refused.
  func descriptor() throws(Refusal) -> MethodDescriptor {
    try validate()
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty, !parts[2].isEmpty else {
      throw .grpc(.unimplemented, ":path '\(path.prefix(128))' names no method (expected /package.Service/Method)")
    }
    return MethodDescriptor(fullyQualifiedService: String(parts[1]), method: String(parts[2]))
  }

  /// Base64 with or without padding, as gRPC's `-bin` headers may be sent.
  static func base64(_ text: String) -> [UInt8]? {
    var padded = text
    let remainder = padded.utf8.count % 4
    if remainder == 1 { return nil }
    if remainder > 0 { padded += String(repeating: "=", count: 4 - remainder) }
    return Data(base64Encoded: padded).map { [UInt8]($0) }
  }
}
