/// SearchRuns: MLflow's filter and order_by semantics, keyset page tokens.
extension TrackerEngine {
  public static let defaultSearchResults = 1000
  public static let maxSearchResults = 50_000

  public func searchRuns(
    experimentIDs: [String], filter: String, view: RunSearch.View, maxResults: Int, orderBy: [String], pageToken: String
  ) async throws -> (runs: [Run], nextPageToken: String) {
    guard !experimentIDs.isEmpty else {
      throw TrackerError.invalidArgument(field: "experiment_ids", reason: "must name at least one experiment")
    }
    let ids = try experimentIDs.enumerated().map { index, raw in
      guard let id = Int64(raw), id > 0 else {
        throw TrackerError.invalidArgument(field: "experiment_ids[\(index)]", reason: "'\(raw)' is not an experiment id")
      }
      return id
    }
    guard maxResults >= 0, maxResults <= Self.maxSearchResults else {
      throw TrackerError.invalidArgument(field: "max_results", reason: "must be between 1 and \(Self.maxSearchResults)")
    }
    let limit = maxResults == 0 ? Self.defaultSearchResults : maxResults
    let parsedFilter = try RunFilter(parsing: filter)
    let order = try RunSearch.parseOrder(orderBy)
    let fingerprint = Self.fingerprint(
      ids.sorted().map(String.init).joined(separator: ",") + "|" + filter + "|" + orderBy.joined(separator: ",") + "|\(view)")
    let after = pageToken.isEmpty ? nil : try RunSearch.values(fromToken: pageToken, fingerprint: fingerprint)
    let search = RunSearch(experimentIDs: ids, filter: parsedFilter, order: order, view: view, limit: limit + 1, after: after)
    var hits = try await runs.search(search)
    guard hits.runs.count > limit else { return (hits.runs, "") }
    hits.runs.removeLast(hits.runs.count - limit)
    return (hits.runs, RunSearch.token(hits.sortValues[limit - 1], fingerprint: fingerprint))
  }

  /// FNV-1a, stable across processes (Swift's Hasher is seeded per process).
  static func fingerprint(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return String(hash, radix: 16)
  }
}
