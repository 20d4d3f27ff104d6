import GRPCCore

extension Metadata {
  /// The metadata key the gateway sets to the caller's identity (its API key's name), after
  /// dropping any value the client sent; services record it as who acted.
  public static let actorKey = "x-mlops-actor"

  /// The caller's identity as the gateway set it; "" when the call did not come through an
  /// authenticating gateway (local use).
  public var actor: String {
    self[stringValues: Self.actorKey].first(where: { _ in true }) ?? ""
  }
}
