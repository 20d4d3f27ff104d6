/// A feature view: typed features about one or more entities, with a TTL. `joinKeys` is
/// resolved from the entities when the view is applied, so reads and writes never look the
/// entities up again.
public struct FeatureViewDefinition: Codable, Sendable, Equatable {
  public struct Feature: Codable, Sendable, Equatable {
    public var name: String
    public var type: FeatureType
    public var description: String = ""
    public var tags: [String: String] = [:]

    public init(name: String, type: FeatureType, description: String = "", tags: [String: String] = [:]) {
      self.name = name
      self.type = type
      self.description = description
      self.tags = tags
    }
  }

  /// A join key column of the view and the type its values must have.
  public struct JoinKey: Codable, Sendable, Equatable {
    public var name: String
    public var type: FeatureType
  }

  public var name: String
  public var entities: [String]
  public var features: [Feature]
  /// Zero means values never expire.
  public var ttlMicroseconds: Int64 = 0
  public var online = true
  public var offline = true
  public var tags: [String: String] = [:]
  public var owner = ""
  public var description = ""
  public var version: Int64 = 0
  public var createdMicroseconds: Int64 = 0
  public var updatedMicroseconds: Int64 = 0
  public var joinKeys: [JoinKey] = []

  public init(name: String, entities: [String], features: [Feature]) {
    self.name = name
    self.entities = entities
    self.features = features
  }

  public var featureNames: [String] { features.map(\.name) }
  public var featureTypes: [FeatureType] { features.map(\.type) }

  /// The position of a feature in stored and returned rows.
  public func index(of feature: String) -> Int? { features.firstIndex { $0.name == feature } }

  /// The definition a user wrote, without what the server keeps (version, times): two
  /// applies of the same text compare equal.
  var userFacing: FeatureViewDefinition {
    var copy = self
    copy.version = 0
    copy.createdMicroseconds = 0
    copy.updatedMicroseconds = 0
    return copy
  }
}
