/// Every definition, by name: what reads resolve references against without a query.
public struct FeatureCatalog: Sendable {
  public var entities: [String: EntityDefinition] = [:]
  public var views: [String: FeatureViewDefinition] = [:]
  public var services: [String: FeatureServiceDefinition] = [:]

  public init() {}

  /// The view of a reference, and the feature's position in it.
  /// - Throws: NOT_FOUND naming `field` for an unknown view or feature.
  func resolve(_ reference: FeatureReference, field: String) throws -> (FeatureViewDefinition, Int) {
    guard let view = views[reference.view] else {
      throw FeatureStoreError.notFound(field: field, reason: "feature view '\(reference.view)' does not exist")
    }
    guard let index = view.index(of: reference.feature) else {
      throw FeatureStoreError.notFound(field: field, reason: "feature view '\(reference.view)' has no feature '\(reference.feature)'")
    }
    return (view, index)
  }

  /// The services that name `view`, which must go before the view can.
  func services(using view: String) -> [String] {
    services.values.filter { $0.features.contains { $0.view == view } }.map(\.name).sorted()
  }
}
