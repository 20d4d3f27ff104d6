import Foundation
import GRPCCore

/// A client-streamed upload: one header message, then chunks (the tracker's and the
/// registry's artifact uploads). Splits the stream and enforces the protocol, so a missing or
/// repeated header is INVALID_ARGUMENT naming `header`, in every service alike.
public enum UploadStream {
  /// What one request message carries.
  public enum Part<Header> {
    case header(Header)
    case chunk(Data)
    case empty
  }

  /// Why the stream broke the protocol.
  public enum ProtocolError: Error, RPCErrorConvertible {
    case noHeader, secondHeader

    public var rpcErrorCode: RPCError.Code { .invalidArgument }
    public var rpcErrorMessage: String {
      switch self {
      case .noHeader: "header: the first message of an upload must be the header"
      case .secondHeader: "header: sent twice; an upload carries one header"
      }
    }
  }

  /// The header, and the chunks after it.
  public static func open<Messages: AsyncSequence, Header>(
    _ messages: Messages, part: @escaping (Messages.Element) -> Part<Header>
  ) async throws -> (Header, Chunks<Messages.AsyncIterator, Header>) {
    var iterator = messages.makeAsyncIterator()
    guard let first = try await iterator.next(), case .header(let header) = part(first) else { throw ProtocolError.noHeader }
    return (header, Chunks(iterator: iterator, part: part))
  }

  /// The chunks after the header; a second header throws.
  public struct Chunks<Base: AsyncIteratorProtocol, Header>: AsyncSequence, AsyncIteratorProtocol {
    var iterator: Base
    let part: (Base.Element) -> Part<Header>

    public func makeAsyncIterator() -> Self { self }

    public mutating func next() async throws -> Data? {
      while let message = try await iterator.next() {
        switch part(message) {
        case .chunk(let data): return data
        case .header: throw ProtocolError.secondHeader
        case .empty: continue
        }
      }
      return nil
    }
  }
}
