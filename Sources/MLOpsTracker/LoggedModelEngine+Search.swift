import Foundation

/// Searching logged models a page at a time, oldest first; the page token is the position of
/// the last model given, so models created meanwhile are neither repeated nor skipped.
extension LoggedModelEngine {
  /// One page of the models of `experimentIDs`, optionally of one name and run; the token of
  /// the next page is "" on the last.
  public func search(
    experimentIDs: [String], name: String, runID: String, maxResults: Int, pageToken: String
  ) async throws -> (models: [LoggedModel], next: String) {
    guard !experimentIDs.isEmpty else {
      throw TrackerError.invalidArgument(field: "experiment_ids", reason: "must name at least one experiment")
    }
    let experiments = try experimentIDs.map(TrackerEngine.experimentNumber)
    guard (0...Self.maxPageSize).contains(maxResults) else {
      throw TrackerError.invalidArgument(field: "max_results", reason: "must be between 1 and \(Self.maxPageSize)")
    }
    let limit = maxResults == 0 ? Self.defaultPageSize : maxResults
    let after = try Self.position(pageToken)
    let found = try await models.search(experiments: experiments, name: name, runID: runID, after: after, limit: limit + 1)
    let page = Array(found.prefix(limit))
    guard found.count > limit, let last = page.last else { return (page, "") }
    return (page, Data("\(last.creationTime):\(last.id)".utf8).base64EncodedString())
  }

  static func position(_ token: String) throws -> (time: Int64, id: String)? {
    guard !token.isEmpty else { return nil }
    guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
      let colon = text.firstIndex(of: ":"), let time = Int64(text[..<colon])
    else { throw TrackerError.invalidArgument(field: "page_token", reason: "is not a token this search returned") }
    return (time, String(text[text.index(after: colon)...]))
  }
}
