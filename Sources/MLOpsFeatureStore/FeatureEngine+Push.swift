import Foundation
import MLOpsCore

/// Where pushed rows go.
public enum PushTarget: Int, Sendable {
  case onlineAndOffline = 0, online, offline
}

/// One pushed event before validation.
public struct IncomingRow: Sendable {
  public var entityKey: [String: FeatureData]
  /// Epoch microseconds; nil when the client left it out.
  public var eventTime: Int64?
  public var createdTime: Int64?
  public var features: [String: FeatureData]

  public init(entityKey: [String: FeatureData], eventTime: Int64?, createdTime: Int64? = nil, features: [String: FeatureData]) {
    self.entityKey = entityKey
    self.eventTime = eventTime
    self.createdTime = createdTime
    self.features = features
  }
}

/// What a push did.
public struct PushOutcome: Sendable, Equatable {
  public var rowsWritten = 0
  /// Online rows not applied because a newer event was already there (or later in the batch).
  public var rowsSuperseded = 0

  public init(rowsWritten: Int = 0, rowsSuperseded: Int = 0) {
    self.rowsWritten = rowsWritten
    self.rowsSuperseded = rowsSuperseded
  }

  public static func + (a: PushOutcome, b: PushOutcome) -> PushOutcome {
    PushOutcome(rowsWritten: a.rowsWritten + b.rowsWritten, rowsSuperseded: a.rowsSuperseded + b.rowsSuperseded)
  }
}

/// A validated push, ready to commit.
public struct PreparedPush: Sendable {
  let view: String
  let rows: [StoredRow]
  let online: Bool
  let offline: Bool
}

/// Push and PushStream.
extension FeatureEngine {
  /// Validates every row (and column batch) against the view, then writes them all in one
  /// transaction, or none.
  public func push(view name: String, _ rows: [IncomingRow], columns: ColumnBatch? = nil, to target: PushTarget) async throws -> PushOutcome
  {
    try await commit(try await prepare(view: name, rows, columns: columns, to: target))
  }

  /// Checks a push and encodes its rows, writing nothing: a stream prepares the next
  /// message while the previous one commits.
  public func prepare(view name: String, _ rows: [IncomingRow], columns: ColumnBatch? = nil, to target: PushTarget) async throws
    -> PreparedPush
  {
    guard !name.isEmpty else { throw FeatureStoreError.invalidArgument(field: "feature_view", reason: "is required") }
    guard rows.count + (columns?.eventTimes.count ?? 0) <= Self.maxPushRows else {
      throw FeatureStoreError.tooLarge(field: "rows", limit: Self.maxPushRows)
    }
    let view = try await view(name, field: "feature_view")
    let toOnline = view.online && target != .offline
    let toOffline = view.offline && target != .online
    guard toOnline || toOffline else {
      throw FeatureStoreError.failedPrecondition(
        field: "to", reason: "feature view '\(name)' keeps no \(target == .online ? "online" : "offline") store")
    }
    var stored = try validate(rows, view: view)
    if let columns { stored += try validate(columns, view: view) }
    return PreparedPush(view: name, rows: stored, online: toOnline, offline: toOffline)
  }

  /// Writes a prepared push: the whole log append and the online changes in one transaction.
  public func commit(_ push: PreparedPush) async throws -> PushOutcome {
    let changes = push.online ? online.changes(view: push.view, push.rows) : []
    let change = try await repository.write(view: push.view, offline: push.offline ? push.rows : [], online: changes)
    online.apply(view: push.view, changes)
    if let change { applied(change) }
    return PushOutcome(rowsWritten: push.rows.count, rowsSuperseded: push.online ? push.rows.count - changes.count : 0)
  }

  /// The rows as stored rows, in order.
  /// - Throws: INVALID_ARGUMENT naming `rows[i].<column>` for the first bad row.
  func validate(_ rows: [IncomingRow], view: FeatureViewDefinition) throws -> [StoredRow] {
    let now = clock()
    let positions = Dictionary(uniqueKeysWithValues: view.features.enumerated().map { ($1.name, $0) })
    let names = view.featureNames
    let writer = PayloadWriter(names: names)
    return try rows.enumerated().map { index, row in
      let prefix = "rows[\(index)]"
      let key = try EntityKey.make(row.entityKey, keys: view.joinKeys, field: "\(prefix).entity_key")
      guard let eventTime = row.eventTime else {
        throw FeatureStoreError.invalidArgument(field: "\(prefix).event_time", reason: "is required")
      }
      guard TimeRange.microseconds.contains(eventTime) else {
        throw FeatureStoreError.invalidArgument(field: "\(prefix).event_time", reason: TimeRange.reason)
      }
      guard TimeRange.microseconds.contains(row.createdTime ?? now) else {
        throw FeatureStoreError.invalidArgument(field: "\(prefix).created_time", reason: TimeRange.reason)
      }
      var values = Array(repeating: FeatureData.null, count: names.count)
      for (name, value) in row.features {
        guard let position = positions[name] else {
          throw FeatureStoreError.invalidArgument(
            field: "\(prefix).features.\(name)", reason: "feature view '\(view.name)' has no feature '\(name)'")
        }
        let declared = view.features[position].type
        guard let conformed = value.conformed(to: declared) else {
          throw FeatureStoreError.invalidArgument(
            field: "\(prefix).features.\(name)", reason: "is \(value.type?.name ?? "null"), the view declares \(declared.name)")
        }
        values[position] = conformed
      }
      return StoredRow(
        entity: key, eventTime: eventTime, createdTime: row.createdTime ?? now, payload: writer.encode { values[$0] })
    }
  }
}
