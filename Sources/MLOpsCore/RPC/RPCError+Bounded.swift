import GRPCCore
import MLOpsProto

extension RPCError {
  /// Longest quoted client value an error message repeats, in characters.
  public static let echoedValueLimit = 64
  /// Longest message sent, in UTF-8 bytes; with the bounded details, a failed call's trailers
  /// stay far below the 16 KiB of metadata that gRPC clients accept by default (at most
  /// 8 violations of 2 × 256 bytes, and other entries of up to 512 bytes).
  public static let messageLimit = 2048

  /// This error as it may be sent: every quoted value ('…' or "…") longer than
  /// ``echoedValueLimit`` shortened with "…", the message capped at ``messageLimit``, the
  /// `ErrorDetails` in the metadata shortened the same way, and no other metadata. A 64 KiB
  /// name echoed in full made trailers of 57–115 KB: clients saw RESOURCE_EXHAUSTED or a
  /// reset stream instead of the status, and the gateway's shared connection was torn down.
  public var bounded: RPCError {
    var metadata = Metadata()
    for (key, value) in self.metadata where key != Mlops_Common_V1_ErrorDetails.metadataKey {
      switch value {
      case .string(let text) where key.utf8.count + text.utf8.count <= 512:
        metadata.addString(text, forKey: key)
      case .binary(let bytes) where key.utf8.count + bytes.count * 4 / 3 <= 512:
        metadata.addBinary(bytes, forKey: key)
      default: continue
      }
    }
    if var details = Mlops_Common_V1_ErrorDetails(from: self.metadata) {
      details.reason = Self.bound(details.reason, to: 256)
      details.violations = details.violations.prefix(8).map { violation in
        var violation = violation
        violation.field = Self.bound(Self.shortenQuoted(violation.field), to: 256)
        violation.description_p = Self.bound(Self.shortenQuoted(violation.description_p), to: 256)
        return violation
      }
      metadata.add(contentsOf: details.metadata)
    }
    return RPCError(code: code, message: Self.bound(Self.shortenQuoted(message), to: Self.messageLimit), metadata: metadata, cause: cause)
  }

  /// `text` with each quoted run longer than ``echoedValueLimit`` cut to that many characters
  /// and "…"; unbalanced quotes shorten the rest of the text.
  static func shortenQuoted(_ text: String) -> String {
    guard text.utf8.count > echoedValueLimit else { return text }
    var result = ""
    var quote: Character?
    var run = 0
    for character in text {
      if let open = quote {
        if character == open {
          quote = nil
        } else {
          run += 1
          if run > echoedValueLimit {
            if run == echoedValueLimit + 1 { result.append("…") }
            continue
          }
        }
      } else if character == "'" || character == "\"" {
        quote = character
        run = 0
      }
      result.append(character)
    }
    return result
  }

  /// `text` cut to at most `limit` UTF-8 bytes at a character boundary, with "…".
  static func bound(_ text: String, to limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    var result = ""
    var bytes = 0
    for character in text {
      let size = character.utf8.count
      guard bytes + size <= limit - 3 else { break }
      result.append(character)
      bytes += size
    }
    return result + "…"
  }
}
