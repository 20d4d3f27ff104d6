import MLOpsRuntime

/// What a variant runs: a model in this process, or one behind a remote Open Inference
/// Protocol backend. Either declares its inputs and outputs, so requests are checked the same
/// way before they go to it.
public protocol Predictor: Sendable {
  var inputs: [ValueSpec] { get }
  var outputs: [ValueSpec] { get }
  /// The model itself when it runs in this process, so a call can run it without awaiting
  /// (on the transport's event loop); nil when it must be awaited (a remote backend).
  var local: Model? { get }
  func predict(_ feeds: [String: Tensor]) async throws -> [String: Value]
}

extension Model: Predictor {
  /// Runs in this process.
  public var local: Model? { self }

  /// Runs the model in this process.
  public func predict(_ feeds: [String: Tensor]) async throws -> [String: Value] { try run(feeds) }
}
