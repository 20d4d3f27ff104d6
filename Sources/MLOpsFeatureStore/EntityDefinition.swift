/// An entity: what feature rows are about (a driver, a customer), named by its join key, the
/// column that carries its value in pushed rows and in entity rows.
public struct EntityDefinition: Codable, Sendable, Equatable {
  public var name: String
  public var joinKey: String
  public var valueType: FeatureType
  public var description: String = ""
  public var tags: [String: String] = [:]

  public init(name: String, joinKey: String, valueType: FeatureType, description: String = "", tags: [String: String] = [:]) {
    self.name = name
    self.joinKey = joinKey
    self.valueType = valueType
    self.description = description
    self.tags = tags
  }

  /// - Throws: INVALID_ARGUMENT naming `entity.<field>`.
  func validate() throws {
    try Naming.check(name, field: "entity.name")
    try Naming.check(joinKey, field: "entity.join_key")
    guard valueType.isJoinKeyType else {
      throw FeatureStoreError.invalidArgument(
        field: "entity.value_type", reason: "a join key is int64, string or bytes, not \(valueType.name)")
    }
    try DefinitionLimits.check(description: description, tags: tags, field: "entity")
  }
}

/// How large a definition may be. The whole catalog is read in every apply's transaction (so
/// replicas sharing PostgreSQL never apply over each other's changes), and huge definitions
/// once made each apply and list take seconds.
enum DefinitionLimits {
  static let description = 4096
  static let tags = 100
  static let tagKey = 256
  static let tagValue = 4096
  static let features = 2000

  static func check(description: String, tags: [String: String], field: String) throws {
    guard description.utf8.count <= Self.description else {
      throw FeatureStoreError.invalidArgument(field: "\(field).description", reason: "is longer than \(Self.description) bytes")
    }
    guard tags.count <= Self.tags else {
      throw FeatureStoreError.invalidArgument(field: "\(field).tags", reason: "has \(tags.count) tags; at most \(Self.tags)")
    }
    for (key, value) in tags where key.utf8.count > tagKey || value.utf8.count > tagValue {
      throw FeatureStoreError.invalidArgument(
        field: "\(field).tags[\(key.prefix(64))]", reason: "keys are at most \(tagKey) bytes and values \(tagValue)")
    }
  }
}

/// The one rule for names that appear in references (`view:feature`) and files.
enum Naming {
  /// - Throws: INVALID_ARGUMENT naming `field` for an empty, long or punctuated name.
  static func check(_ name: String, field: String) throws {
    guard !name.isEmpty else { throw FeatureStoreError.invalidArgument(field: field, reason: "is required") }
    guard name.utf8.count <= 200 else { throw FeatureStoreError.invalidArgument(field: field, reason: "is longer than 200 bytes") }
    let allowed = name.unicodeScalars.allSatisfy {
      ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "_-.".unicodeScalars.contains($0)
    }
    guard allowed else {
      throw FeatureStoreError.invalidArgument(field: field, reason: "'\(name)' may hold only letters, digits, '_', '-' and '.'")
    }
  }
}
