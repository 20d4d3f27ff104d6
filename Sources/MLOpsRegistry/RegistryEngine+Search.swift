import Foundation

/// SearchRegisteredModels and SearchModelVersions: MLflow's filters and order_by, with page
/// tokens that carry the last item's sort key, so a page never repeats or skips an item that
/// was already there.
extension RegistryEngine {
  public static let defaultSearchResults = 100
  public static let maxSearchResults = 1000

  /// One component of a sort key.
  enum SortValue: Codable, Equatable {
    case text(String), number(Int64)

    static func compare(_ a: SortValue, _ b: SortValue) -> Int {
      switch (a, b) {
      case (.text(let x), .text(let y)): x < y ? -1 : (x == y ? 0 : 1)
      case (.number(let x), .number(let y)): x < y ? -1 : (x == y ? 0 : 1)
      case (.text, .number): 1
      case (.number, .text): -1
      }
    }
  }

  /// Parsed order_by: (column, descending) pairs from the allowed columns.
  static func parseOrder(_ clauses: [String], allowed: [String]) throws -> [(String, Bool)] {
    try clauses.enumerated().map { index, clause in
      let words = clause.split(separator: " ").map(String.init)
      let column = (words.first ?? "").lowercased()
      guard allowed.contains(column), words.count <= 2 else {
        throw RegistryError.invalidArgument(
          field: "order_by[\(index)]", reason: "'\(clause)' must be one of \(allowed.joined(separator: ", ")), optionally ASC or DESC")
      }
      let direction = words.count == 2 ? words[1].uppercased() : "ASC"
      guard direction == "ASC" || direction == "DESC" else {
        throw RegistryError.invalidArgument(field: "order_by[\(index)]", reason: "direction must be ASC or DESC, not '\(words[1])'")
      }
      return (column, direction == "DESC")
    }
  }

  /// Sorts, then returns the page after `token` and the next token.
  static func page<T>(
    _ items: [T], key: (T) -> [SortValue], descending: [Bool], maxResults: Int, token: String
  ) throws -> ([T], String) {
    guard maxResults >= 0, maxResults <= maxSearchResults else {
      throw RegistryError.invalidArgument(field: "max_results", reason: "must be between 1 and \(maxSearchResults)")
    }
    func order(_ a: [SortValue], _ b: [SortValue]) -> Int {
      for (i, pair) in zip(a, b).enumerated() {
        let c = SortValue.compare(pair.0, pair.1)
        if c != 0 { return descending[i] ? -c : c }
      }
      return 0
    }
    var after: [SortValue]?
    if !token.isEmpty {
      guard let data = Data(base64Encoded: token), let decoded = try? JSONDecoder().decode([SortValue].self, from: data),
        decoded.count == descending.count
      else { throw RegistryError.invalidArgument(field: "page_token", reason: "is not a token this server returned for this order") }
      after = decoded
    }
    let keyed = items.map { (key($0), $0) }.filter { after == nil || order($0.0, after!) > 0 }.sorted { order($0.0, $1.0) < 0 }
    let limit = maxResults == 0 ? defaultSearchResults : maxResults
    let page = Array(keyed.prefix(limit))
    let next = keyed.count > limit ? ((try? JSONEncoder().encode(page.last!.0))?.base64EncodedString() ?? "") : ""
    return (page.map(\.1), next)
  }

  public func searchModels(filter: String, orderBy: [String], maxResults: Int, pageToken: String) async throws -> ([ModelDetails], String) {
    let filter = try RegistryFilter(parsing: filter, versionFields: false)
    var order = try Self.parseOrder(
      orderBy.map { $0 == "timestamp" ? "last_updated_timestamp" : $0 }, allowed: ["name", "last_updated_timestamp"])
    if !order.contains(where: { $0.0 == "name" }) { order.append(("name", false)) }
    let matches = try await models.all().filter { filter.matches(name: $0.model.name, tags: $0.model.tags) }
    let (page, next) = try Self.page(
      matches, key: { m in order.map { $0.0 == "name" ? .text(m.model.name) : .number(m.model.lastUpdatedTime) } },
      descending: order.map(\.1), maxResults: maxResults, token: pageToken)
    return (page.map(\.details), next)
  }

  public func searchVersions(filter: String, orderBy: [String], maxResults: Int, pageToken: String) async throws -> (
    [VersionDetails], String
  ) {
    let filter = try RegistryFilter(parsing: filter, versionFields: true)
    var order = try Self.parseOrder(orderBy, allowed: ["name", "version_number", "creation_timestamp", "last_updated_timestamp"])
    if !order.contains(where: { $0.0 == "name" }) { order.append(("name", false)) }
    if !order.contains(where: { $0.0 == "version_number" }) { order.append(("version_number", true)) }
    let matches = try await models.all().flatMap { aggregate in
      aggregate.versions.values
        .filter { filter.matches(name: aggregate.model.name, runID: $0.runID, stage: $0.stage, tags: $0.tags) }
        .compactMap { aggregate.details($0.version) }
    }
    let (page, next) = try Self.page(
      matches,
      key: { v in
        order.map { column, _ in
          switch column {
          case "name": .text(v.modelName)
          case "version_number": .number(v.record.version)
          case "creation_timestamp": .number(v.record.creationTime)
          default: .number(v.record.lastUpdatedTime)
          }
        }
      },
      descending: order.map(\.1), maxResults: maxResults, token: pageToken)
    return (page, next)
  }
}
