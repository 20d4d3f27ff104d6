import Foundation

/// GetOnlineFeatures, and the reference resolution every read shares.
extension FeatureEngine {
  /// The features a read asks for: its `view:feature` list, or a feature service's. Views
  /// unknown here are looked up in the database; features are resolved once, by ``plan(_:)``.
  /// - Throws: INVALID_ARGUMENT for neither or both, or a malformed reference; NOT_FOUND for
  ///   an unknown service or view.
  public func references(features: [String], service: String) async throws -> [FeatureReference] {
    switch (features.isEmpty, service.isEmpty) {
    case (true, true):
      throw FeatureStoreError.invalidArgument(field: "features", reason: "name 'view:feature' references or a feature_service")
    case (false, false):
      throw FeatureStoreError.invalidArgument(field: "feature_service", reason: "give features or a feature service, not both")
    case (false, true):
      let references = try features.enumerated().map { try FeatureReference(parsing: $1, field: "features[\($0)]") }
      for (index, reference) in references.enumerated() {
        _ = try await view(reference.view, field: "features[\(index)]")
      }
      return references
    case (true, false):
      if catalog.services[service] == nil { try await refresh() }
      guard let found = catalog.services[service] else {
        throw FeatureStoreError.notFound(field: "feature_service", reason: "feature service '\(service)' does not exist")
      }
      return found.features
    }
  }

  /// ``references(features:service:)`` from the catalog in memory, without awaiting: nil when
  /// a view or service named is not in it (the caller takes the path that refreshes first).
  /// Bad arguments throw as there.
  public func loadedReferences(features: [String], service: String) throws -> [FeatureReference]? {
    let catalog = self.catalog
    switch (features.isEmpty, service.isEmpty) {
    case (false, true):
      let references = try features.enumerated().map { try FeatureReference(parsing: $1, field: "features[\($0)]") }
      return references.allSatisfy { catalog.views[$0.view] != nil } ? references : nil
    case (true, false):
      return catalog.services[service]?.features
    default:
      return nil  // Both or neither: the ordinary path names the argument.
    }
  }

  /// The declared type of each reference.
  func types(of references: [FeatureReference]) throws -> [FeatureType] {
    let catalog = self.catalog
    return try references.enumerated().map { position, reference in
      let (view, index) = try catalog.resolve(reference, field: "features[\(position)]")
      return view.features[index].type
    }
  }

  /// The requested references grouped by view: each view once, with the positions of its
  /// features in the answer and in the view.
  func plan(_ references: [FeatureReference]) throws -> Plan {
    var order: [String] = []
    var groups: [String: (FeatureViewDefinition, [(Int, Int)])] = [:]
    let catalog = self.catalog
    for (position, reference) in references.enumerated() {
      let (view, index) = try catalog.resolve(reference, field: "features[\(position)]")
      if groups[view.name] == nil { order.append(view.name) }
      groups[view.name, default: (view, [])].1.append((position, index))
    }
    return order.map { (groups[$0]!.0, groups[$0]!.1.map { (answer: $0.0, feature: $0.1) }) }
  }

  /// The latest value of every reference for every entity row, with its status: NOT_FOUND for
  /// an entity never written, OUTSIDE_MAX_AGE past the view's TTL, NULL_VALUE for a stored null.
  /// - Throws: INVALID_ARGUMENT naming `entity_rows[i].<join key>`.
  public func onlineFeatures(_ references: [FeatureReference], rows: [[String: FeatureData]]) throws -> [[ServedValue]] {
    guard !rows.isEmpty else { throw FeatureStoreError.invalidArgument(field: "entity_rows", reason: "give at least one entity row") }
    guard rows.count <= Self.maxEntityRows else { throw FeatureStoreError.tooLarge(field: "entity_rows", limit: Self.maxEntityRows) }
    var answer = Array(repeating: Array(repeating: ServedValue.notFound, count: references.count), count: rows.count)
    let now = clock()
    for (view, columns) in try plan(references) {
      let keys = try rows.enumerated().map { try EntityKey.make($1, keys: view.joinKeys, field: "entity_rows[\($0)]") }
      for (row, stored) in online.lookup(view: view.name, keys).enumerated() {
        guard let stored else { continue }
        // Overflow-safe: rows stored before times were range-checked may hold any Int64.
        let age = now.subtractingReportingOverflow(stored.eventTime)
        let expired = view.ttlMicroseconds > 0 && (age.overflow || age.partialValue > view.ttlMicroseconds)
        let values = expired ? [] : view.values(of: stored)
        for column in columns {
          answer[row][column.answer] =
            expired
            ? ServedValue(value: .null, status: .outsideMaxAge, eventTime: stored.eventTime)
            : .stored(values[column.feature], at: stored.eventTime)
        }
      }
    }
    return answer
  }
}
