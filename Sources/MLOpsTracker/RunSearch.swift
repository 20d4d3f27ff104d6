import Foundation

/// A SearchRuns query in domain terms: the repositories translate it to SQL.
public struct RunSearch: Sendable {
  /// A sort key: an entity and a direction. Metric, param and tag keys sort missing values last.
  public struct OrderKey: Sendable, Equatable {
    public var entity: RunFilter.Entity
    public var descending: Bool
  }

  /// A value of one sort key, carried in page tokens.
  public enum SortValue: Codable, Sendable, Equatable {
    case null, number(Double), text(String)
  }

  public enum View: Sendable { case active, deleted, all }

  /// What a search found, in its order: the runs, and at the same positions their sort values
  /// (for the page token). Two arrays rather than an array of pairs, so trimming the page and
  /// handing the runs on moves them instead of copying every run's fields (the copies and
  /// their releases were ~6% of a 500-run search).
  public struct Hits: Sendable {
    public var runs: [Run] = []
    public var sortValues: [[SortValue]] = []

    public init(runs: [Run] = [], sortValues: [[SortValue]] = []) {
      self.runs = runs
      self.sortValues = sortValues
    }
  }

  public var experimentIDs: [Int64]
  public var filter: RunFilter
  public var order: [OrderKey]
  public var view: View
  public var limit: Int
  /// Sort values of the last run of the previous page (explicit keys, then start time, run id).
  public var after: [SortValue]?

  /// Parses order_by clauses: `metrics.auc DESC`, `params.lr`, `attributes.start_time ASC`.
  /// At most this many order_by keys: each joins a table, and SQLite refuses a join of more
  /// than 64 tables (seen as a DatabaseError with 100 keys).
  public static let maxOrderKeys = 10

  public static func parseOrder(_ clauses: [String]) throws -> [OrderKey] {
    guard clauses.count <= maxOrderKeys else {
      throw TrackerError.invalidArgument(field: "order_by", reason: "has \(clauses.count) keys; at most \(maxOrderKeys) are allowed")
    }
    var seen: Set<RunFilter.Entity> = []
    return try clauses.enumerated().map { index, clause in
      var tokens = try RunFilterLexer.tokens(clause)
      var descending = false
      if tokens.count >= 3, tokens[tokens.count - 2].kind == .identifier,
        ["ASC", "DESC"].contains(tokens[tokens.count - 2].text.uppercased())
      {
        descending = tokens[tokens.count - 2].text.uppercased() == "DESC"
        tokens.remove(at: tokens.count - 2)
      }
      var parser = RunFilterParser(tokens: tokens)
      let entity: RunFilter.Entity
      do {
        entity = try parser.entity()
      } catch TrackerError.invalidArgument(_, let reason) {
        throw TrackerError.invalidArgument(field: "order_by[\(index)]", reason: reason)
      }
      guard parser.current.kind == .end else {
        throw TrackerError.invalidArgument(
          field: "order_by[\(index)]", reason: "unexpected '\(parser.current.text)' at position \(parser.current.position)")
      }
      if case .dataset = entity {
        throw TrackerError.invalidArgument(field: "order_by[\(index)]", reason: "cannot order by a dataset field")
      }
      guard seen.insert(entity).inserted else {
        throw TrackerError.invalidArgument(
          field: "order_by[\(index)]", reason: "repeats a field an earlier key orders by (MLflow refuses duplicates)")
      }
      return OrderKey(entity: entity, descending: descending)
    }
  }

  /// A page token: the last run's sort values plus a fingerprint of the query, so a token
  /// reused with another filter or order is refused instead of silently skipping runs.
  static func token(_ values: [SortValue], fingerprint: String) -> String {
    let payload = (try? JSONEncoder().encode(TokenBody(f: fingerprint, v: values))) ?? Data()
    return payload.base64EncodedString()
  }

  /// Decodes a client's page token without checking whose search it belongs to; public so the
  /// fuzzer (`fuzz/MLOpsFuzz`) feeds it arbitrary bytes. Returns how many sort values it held.
  /// - Throws: INVALID_ARGUMENT naming `page_token`.
  public static func decodePageToken(_ token: String) throws -> Int {
    guard let data = Data(base64Encoded: token), let body = try? JSONDecoder().decode(TokenBody.self, from: data) else {
      throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this tracker issued")
    }
    return body.v.count
  }

  static func values(fromToken token: String, fingerprint: String) throws -> [SortValue] {
    guard let data = Data(base64Encoded: token), let body = try? JSONDecoder().decode(TokenBody.self, from: data) else {
      throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this tracker issued")
    }
    guard body.f == fingerprint else {
      throw TrackerError.invalidArgument(field: "page_token", reason: "belongs to a search with another filter, order or experiments")
    }
    return body.v
  }

  struct TokenBody: Codable {
    var f: String
    var v: [SortValue]
  }
}
