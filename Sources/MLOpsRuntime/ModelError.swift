/// Why a model could not be loaded or run. Load-time kinds (`malformed`, `unsupported`,
/// `invalidGraph`, `limitExceeded`) are raised by `Model(bytes:)`, never by `run`; `invalidInput`
/// is the caller's data; `execution` is data the graph cannot process (an index out of range).
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The class of failure, so callers (the registry, the router) can map it to a status.
  public enum Kind: String, Sendable {
    case malformed, unsupported, invalidGraph, limitExceeded, invalidInput, execution
  }

  public var kind: Kind
  /// A sentence naming the node, operator, attribute, input or limit involved.
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}

extension ModelError {
  static func malformed(_ message: String) -> ModelError { ModelError(.malformed, message) }
  static func unsupported(_ message: String) -> ModelError { ModelError(.unsupported, message) }
  static func invalidGraph(_ message: String) -> ModelError { ModelError(.invalidGraph, message) }
  static func limit(_ message: String) -> ModelError { ModelError(.limitExceeded, message) }
  static func input(_ message: String) -> ModelError { ModelError(.invalidInput, message) }
  static func execution(_ message: String) -> ModelError { ModelError(.execution, message) }
}
