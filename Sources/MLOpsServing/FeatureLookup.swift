import NIOCore

/// One online value as the router needs it for enrichment.
public struct OnlineValue: Sendable, Equatable {
  /// Whether the store had a value to give, and if not, why.
  public enum Status: Sendable, Equatable {
    case present, null, notFound, outsideMaxAge
  }

  public var value: Cell
  public var status: Status

  public init(value: Cell, status: Status) {
    self.value = value
    self.status = status
  }
}

/// Where enrichment reads features: the feature-server's online store, over gRPC.
public protocol FeatureLookup: Sendable {
  /// The online values of `features` ("view:feature") for each entity row, in row order, each
  /// row's values in the order of `features`.
  /// - Throws: ``ServingError`` — UNAVAILABLE naming the feature-server when it cannot answer,
  ///   FAILED_PRECONDITION for references it refuses.
  func online(features: [String], entities: [[String: Cell]]) async throws -> [[OnlineValue]]

  /// The same lookup started from the event loop `loop` without awaiting: `completion` runs
  /// on `loop` with the answer. False, with nothing sent, when it cannot be sent that way now
  /// (the caller awaits ``online(features:entities:)`` instead).
  func online(
    features: [String], entities: [[String: Cell]], on loop: any EventLoop,
    completion: @escaping (Result<[[OnlineValue]], any Error>) -> Void
  ) -> Bool
}

extension FeatureLookup {
  /// Never: a lookup that only awaits.
  public func online(
    features: [String], entities: [[String: Cell]], on loop: any EventLoop,
    completion: @escaping (Result<[[OnlineValue]], any Error>) -> Void
  ) -> Bool { false }
}
