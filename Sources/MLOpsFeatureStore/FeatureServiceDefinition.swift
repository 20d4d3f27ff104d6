/// A named set of `view:feature` references a model consumes (Feast's feature service), so
/// readers ask for one name instead of repeating the list.
public struct FeatureServiceDefinition: Codable, Sendable, Equatable {
  public var name: String
  public var features: [FeatureReference]
  public var description: String = ""
  public var tags: [String: String] = [:]
  public var owner: String = ""

  public init(name: String, features: [FeatureReference], description: String = "", tags: [String: String] = [:], owner: String = "") {
    self.name = name
    self.features = features
    self.description = description
    self.tags = tags
    self.owner = owner
  }
}

/// `view:feature`.
public struct FeatureReference: Codable, Sendable, Hashable, CustomStringConvertible {
  public var view: String
  public var feature: String

  public init(view: String, feature: String) {
    self.view = view
    self.feature = feature
  }

  /// - Throws: INVALID_ARGUMENT naming `field` unless the text is `view:feature`.
  public init(parsing text: String, field: String) throws {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
      throw FeatureStoreError.invalidArgument(field: field, reason: "'\(text)' is not a 'view:feature' reference")
    }
    self.init(view: String(parts[0]), feature: String(parts[1]))
  }

  public var description: String { "\(view):\(feature)" }
}
