/// What kind of change a model event announces (WatchModelEvents); nil for audit-only changes.
public enum ModelEventType: Int, Codable, Sendable {
  case versionCreated = 1, versionReady = 2, versionDeleted = 3, aliasSet = 4, aliasDeleted = 5
  case stageChanged = 6, reviewed = 7, modelRenamed = 8, modelDeleted = 9
}

/// One appended audit event: who did what to which model or version, before → after (JSON).
/// Model events (for WatchModelEvents) are the audit events that carry an event type.
public struct AuditRecord: Sendable, Equatable {
  public var sequence: Int64
  public var time: Int64
  public var actor: String
  /// The RPC name, e.g. "SetAlias".
  public var action: String
  public var modelName: String
  /// 0 when the change is to the model itself.
  public var version: Int64
  public var eventType: ModelEventType?
  public var alias: String
  public var stage: Stage?
  public var before: String
  public var after: String

  public init(
    time: Int64, actor: String, action: String, modelName: String, version: Int64 = 0,
    eventType: ModelEventType? = nil, alias: String = "", stage: Stage? = nil, before: String = "", after: String = ""
  ) {
    self.sequence = 0
    self.time = time
    self.actor = actor
    self.action = action
    self.modelName = modelName
    self.version = version
    self.eventType = eventType
    self.alias = alias
    self.stage = stage
    self.before = before
    self.after = after
  }
}

/// Which audit events ListAuditEvents returns.
public struct AuditFilter: Sendable {
  public var modelName: String
  public var version: Int64
  public var actor: String
  /// Milliseconds; nil for unbounded.
  public var start: Int64?
  public var end: Int64?
  /// Only events that are model events (WatchModelEvents).
  public var modelEventsOnly: Bool

  public init(
    modelName: String = "", version: Int64 = 0, actor: String = "", start: Int64? = nil, end: Int64? = nil, modelEventsOnly: Bool = false
  ) {
    self.modelName = modelName
    self.version = version
    self.actor = actor
    self.start = start
    self.end = end
    self.modelEventsOnly = modelEventsOnly
  }
}
