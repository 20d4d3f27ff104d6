/// Which of a model's versions a read or a change needs loaded. Loading only these keeps
/// every call independent of how many versions a model has (a model retrained nightly has
/// thousands); the model document (tags, aliases, the highest version number) always loads.
public struct VersionScope: Sendable, Equatable {
  public var numbers: [Int64] = []
  public var stages: [Stage] = []
  /// The newest version in each stage (GetRegisteredModel's latest_versions).
  public var latestPerStage = false
  /// The version an alias points at.
  public var alias: String?
  public var all = false

  public init(numbers: [Int64] = [], stages: [Stage] = [], latestPerStage: Bool = false, alias: String? = nil, all: Bool = false) {
    self.numbers = numbers
    self.stages = stages
    self.latestPerStage = latestPerStage
    self.alias = alias
    self.all = all
  }

  public static let modelOnly = VersionScope()
  public static func version(_ number: Int64) -> VersionScope { VersionScope(numbers: [number]) }

  /// The condition on `model_versions` (with `$` placeholders) and its values, for a model
  /// whose aliases are `aliases`; nil when no version is needed.
  func condition(aliases: [String: Int64]) -> (sql: String, values: [Int64])? {
    if all { return ("TRUE", []) }
    var numbers = self.numbers
    if let alias, let number = aliases[alias] { numbers.append(number) }
    var parts: [String] = []
    var values: [Int64] = []
    if !numbers.isEmpty {
      parts.append("version IN (" + numbers.map { _ in "$" }.joined(separator: ", ") + ")")
      values += numbers
    }
    if !stages.isEmpty {
      parts.append("stage IN (" + stages.map { _ in "$" }.joined(separator: ", ") + ")")
      values += stages.map { Int64($0.rawValue) }
    }
    if latestPerStage {
      parts.append("version IN (SELECT MAX(l.version) FROM model_versions l WHERE l.model_id = model_versions.model_id GROUP BY l.stage)")
    }
    return parts.isEmpty ? nil : ("(" + parts.joined(separator: " OR ") + ")", values)
  }
}

/// Storage of the registry's one aggregate, the registered model with its versions. Every
/// mutation is `modify`: load the aggregate under a write lock, apply a pure change, store what
/// changed and append its audit events — all in one transaction, so a rejected change writes
/// nothing and the audit trail never disagrees with the state.
public protocol ModelRepository: Sendable {
  /// - Throws: `RegistryError.modelNameTaken`.
  func create(_ model: RegisteredModelRecord, event: AuditRecord) async throws
  /// - Throws: `RegistryError.modelNotFound`, or whatever `change` throws (then nothing is stored).
  /// The aggregate handed to `change` holds the versions `scope` selects; versions it adds are
  /// inserted, versions it removes (of those loaded) deleted.
  func modify<Result: Sendable>(
    name: String, scope: VersionScope, _ change: @Sendable (inout ModelAggregate) throws -> (Result, [AuditRecord])
  ) async throws -> Result
  /// Deletes the model and its versions once `check` (given the locked aggregate) accepts,
  /// appending the event it returns. - Throws: `modelNotFound`, or what `check` throws.
  func delete(name: String, scope: VersionScope, _ check: @Sendable (ModelAggregate) throws -> AuditRecord) async throws
  func load(name: String, scope: VersionScope) async throws -> ModelAggregate?
  /// Every model with its versions, for search (registries hold thousands of models, not
  /// millions; filters on tags are evaluated on the decoded documents).
  func all() async throws -> [ModelAggregate]
  /// The newest event's sequence, 0 when there is none.
  func latestSequence() async throws -> Int64
  /// Audit events matching `filter` with sequence > `after`, oldest first.
  func events(_ filter: AuditFilter, after: Int64, limit: Int) async throws -> [AuditRecord]
}
