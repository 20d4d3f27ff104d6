import MLOpsCore

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

  /// The condition on `model_versions` (with `?` placeholders) and its values, for a model
  /// whose aliases are `aliases`; nil when no version is needed.
  func condition(aliases: [String: Int64]) -> (sql: String, values: [Int64])? {
    if all { return ("TRUE", []) }
    var numbers = self.numbers
    if let alias, let number = aliases[alias] { numbers.append(number) }
    var parts: [String] = []
    var values: [Int64] = []
    if !numbers.isEmpty {
      parts.append("version IN (\(Placeholders.list(numbers.count)))")
      values += numbers
    }
    if !stages.isEmpty {
      parts.append("stage IN (\(Placeholders.list(stages.count)))")
      values += stages.map { Int64($0.rawValue) }
    }
    if latestPerStage {
      parts.append("version IN (SELECT MAX(l.version) FROM model_versions l WHERE l.model_id = model_versions.model_id GROUP BY l.stage)")
    }
    return parts.isEmpty ? nil : ("(" + parts.joined(separator: " OR ") + ")", values)
  }
}
