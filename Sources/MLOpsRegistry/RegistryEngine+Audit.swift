/// The audit trail and the model event stream, both read from the same append-only table.
extension RegistryEngine {
  public static let defaultAuditPage = 100
  public static let maxAuditPage = 1000

  /// One page of audit events, oldest first; the token is the last sequence returned.
  public func auditEvents(_ filter: AuditFilter, pageSize: Int, pageToken: String) async throws -> (events: [AuditRecord], next: String) {
    guard pageSize >= 0, pageSize <= Self.maxAuditPage else {
      throw RegistryError.invalidArgument(field: "page.page_size", reason: "must be between 1 and \(Self.maxAuditPage)")
    }
    guard filter.version >= 0 else { throw RegistryError.invalidArgument(field: "version", reason: "must not be negative") }
    if let start = filter.start, let end = filter.end, end < start {
      throw RegistryError.invalidArgument(field: "end_time", reason: "is before start_time")
    }
    var after: Int64 = 0
    if !pageToken.isEmpty {
      guard let value = Int64(pageToken), value >= 0 else {
        throw RegistryError.invalidArgument(field: "page.page_token", reason: "is not a token this server returned")
      }
      after = value
    }
    let size = pageSize == 0 ? Self.defaultAuditPage : pageSize
    let events = try await models.events(filter, after: after, limit: size + 1)
    let page = Array(events.prefix(size))
    return (page, events.count > size ? String(page.last!.sequence) : "")
  }

  /// Emits model events after `after` (a sequence from an earlier event; 0 for only new
  /// ones), then polls for more until cancelled. Polling the store keeps it gap-free across
  /// replicas and reconnects: a client resumes with the last sequence it saw.
  public func watchEvents(
    modelName: String, after: Int64, pollInterval: Duration = .milliseconds(100), emit: (AuditRecord) async throws -> Void
  ) async throws {
    guard after >= 0 else { throw RegistryError.invalidArgument(field: "after_sequence", reason: "must not be negative") }
    if !modelName.isEmpty { try Self.validateName(modelName, field: "model_name") }
    let filter = AuditFilter(modelName: modelName, modelEventsOnly: true)
    var cursor = after == 0 ? try await models.latestSequence() : after
    while !Task.isCancelled {
      let events = try await models.events(filter, after: cursor, limit: 1000)
      for event in events {
        try await emit(event)
        cursor = event.sequence
      }
      if events.count < 1000 { try await Task.sleep(for: pollInterval) }
    }
  }
}
