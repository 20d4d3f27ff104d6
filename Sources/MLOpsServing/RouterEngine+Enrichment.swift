/// Feature enrichment: rows that carry entity keys get the deployment's features from the
/// online store, in one lookup for the whole request, before the variant is chosen.
extension RouterEngine {
  /// `rows` with each enriched row's online features added under the feature's name (a value
  /// the caller sent for the same name wins). A value the store cannot give is null (NaN for
  /// a number), or with `refuseMissing` a FAILED_PRECONDITION naming the row, entity and feature.
  func enriched(_ rows: [[String: Cell]], entities: [[String: Cell]], definition: DeploymentDefinition) async throws -> [[String: Cell]] {
    guard let wanted = try lookup(entities, definition: definition), let features else { return rows }
    let values = try await features.online(features: definition.enrichment, entities: wanted.map { entities[$0] })
    return try merged(rows, entities: entities, wanted: wanted, values: values, definition: definition)
  }

  /// The rows that carry an entity key, or nil when none does (nothing to enrich).
  /// - Throws: FAILED_PRECONDITION when the deployment enriches nothing, UNAVAILABLE when
  ///   this router has no feature-server.
  func lookup(_ entities: [[String: Cell]], definition: DeploymentDefinition) throws -> [Int]? {
    let wanted = entities.indices.filter { !entities[$0].isEmpty }
    guard !wanted.isEmpty else { return nil }
    guard !definition.enrichment.isEmpty else {
      throw ServingError.failedPrecondition(
        field: "instances[\(wanted[0])].entity_key", reason: "deployment '\(definition.name)' enriches no features; send them as features")
    }
    guard features != nil else { throw ServingError.unavailable("enrichment: this router has no feature-server") }
    return wanted
  }

  /// `rows` with the online `values` of the `wanted` rows merged in.
  func merged(
    _ rows: [[String: Cell]], entities: [[String: Cell]], wanted: [Int], values: [[OnlineValue]], definition: DeploymentDefinition
  ) throws -> [[String: Cell]] {
    guard values.count == wanted.count else {
      throw ServingError.unavailable("enrichment: the feature-server answered \(values.count) rows for \(wanted.count)")
    }
    var rows = rows
    for (position, row) in wanted.enumerated() {
      for (index, reference) in definition.enrichment.enumerated() where index < values[position].count {
        let name = Self.featureName(reference)
        let online = values[position][index]
        if definition.refuseMissing, online.status == .notFound || online.status == .outsideMaxAge {
          let key = entities[row].sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.describe($0.value))" }.joined(separator: ", ")
          throw ServingError.failedPrecondition(
            field: "instances[\(row)].entity_key",
            reason: "\(key) has no \(online.status == .notFound ? "value" : "fresh value (outside the view's TTL)") of \(reference)")
        }
        if rows[row][name] == nil { rows[row][name] = online.value }
      }
    }
    return rows
  }

  /// The input name a reference feeds: the part after "view:".
  static func featureName(_ reference: String) -> String {
    reference.split(separator: ":", maxSplits: 1).last.map(String.init) ?? reference
  }

  static func describe(_ cell: Cell) -> String {
    switch cell {
    case .int(let v): "\(v)"
    case .string(let v): v
    case .double(let v): "\(v)"
    case .bool(let v): "\(v)"
    default: cell.kindDescription
    }
  }
}
