import Foundation

/// One event of a view as stored: its entity key, times (epoch microseconds) and encoded
/// feature values. `seq` orders rows with equal times by arrival (0 for rows not yet stored).
public struct StoredRow: Sendable {
  public var entity: String
  public var eventTime: Int64
  public var createdTime: Int64
  public var payload: Data
  public var seq: Int64 = 0

  public init(entity: String, eventTime: Int64, createdTime: Int64, payload: Data, seq: Int64 = 0) {
    self.entity = entity
    self.eventTime = eventTime
    self.createdTime = createdTime
    self.payload = payload
    self.seq = seq
  }

  /// Whether this row wins the online slot over `current`: a later event, or the same event
  /// created later; at equal times the later arrival wins. The one rule the online store, the
  /// online table's upsert and the point-in-time join all follow.
  func supersedes(_ current: StoredRow) -> Bool {
    (eventTime, createdTime) >= (current.eventTime, current.createdTime)
  }

  /// Point-in-time order: event time, then created time, then arrival.
  static func earlier(_ a: StoredRow, _ b: StoredRow) -> Bool {
    (a.eventTime, a.createdTime, a.seq) < (b.eventTime, b.createdTime, b.seq)
  }
}
