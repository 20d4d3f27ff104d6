import MLOpsCore

/// MLflow's search filter language for runs, parsed into comparisons the repositories turn
/// into indexed SQL: `metrics.auc > 0.8 AND params.model = 'xgb' AND tags.`team name` LIKE 'ml%'
/// AND attributes.status IN ('FINISHED', 'FAILED') AND datasets.context = 'training'`.
public struct RunFilter: Sendable, Equatable {
  /// What a comparison looks at.
  public enum Entity: Sendable, Equatable, Hashable {
    case metric(String), param(String), tag(String), attribute(Attribute), dataset(DatasetField)
  }

  public enum Attribute: String, Sendable, CaseIterable {
    case status, startTime = "start_time", endTime = "end_time", runName = "run_name", runID = "run_id", userID = "user_id"
    case artifactURI = "artifact_uri"

    var isNumeric: Bool { self == .startTime || self == .endTime }

    /// The attribute a filter or order_by key names, with MLflow's aliases (`created` for
    /// start_time, `run name` for run_name); nil when it names none.
    init?(mlflowKey key: String) {
      switch key {
      case "created", "Created": self = .startTime
      case "run name", "Run name", "Run Name": self = .runName
      default: self.init(rawValue: key)
      }
    }
  }

  public enum DatasetField: String, Sendable, CaseIterable { case name, digest, context }

  public enum Operator: String, Sendable {
    case equal = "=", notEqual = "!=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case like = "LIKE", ilike = "ILIKE", isIn = "IN", notIn = "NOT IN"
    /// Whether a run has the param or tag at all (MLflow 3's `params.x IS NULL`).
    case isNull = "IS NULL", isNotNull = "IS NOT NULL"
  }

  public enum Operand: Sendable, Equatable {
    case number(Double), text(String), list([String])
  }

  public struct Comparison: Sendable, Equatable {
    public var entity: Entity
    public var op: Operator
    public var value: Operand

    public init(entity: Entity, op: Operator, value: Operand) {
      self.entity = entity
      self.op = op
      self.value = value
    }
  }

  public var comparisons: [Comparison]

  /// Parses `text`; an empty filter matches every run.
  /// - Throws: `TrackerError.invalidArgument(field: "filter", …)` naming the position and token.
  public init(parsing text: String) throws {
    var parser = RunFilterParser(tokens: try RunFilterLexer.tokens(text))
    comparisons = try parser.parse()
  }
}

/// The shared filter lexer (MLOpsCore), its syntax errors as the tracker's INVALID_ARGUMENT
/// naming `filter`, the position and the token.
enum RunFilterLexer {
  static func tokens(_ text: String) throws -> [FilterToken] {
    do {
      return try FilterLexer.tokens(text)
    } catch let syntax as FilterSyntaxError {
      throw error(syntax.what, at: syntax.position, token: syntax.token)
    }
  }

  static func error(_ what: String, at position: Int, token: String) -> TrackerError {
    .invalidArgument(field: "filter", reason: "\(what) at position \(position) ('\(token)')")
  }
}
