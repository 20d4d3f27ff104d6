import Foundation
import MLOpsCore

/// Validation and encoding of ``ColumnBatch`` pushes.
extension FeatureEngine {
  /// The batch as stored rows, in order.
  /// - Throws: INVALID_ARGUMENT naming `columns.<part>` (and the row, for a bad value).
  func validate(_ batch: ColumnBatch, view: FeatureViewDefinition) throws -> [StoredRow] {
    let count = batch.eventTimes.count
    guard batch.createdTimes.isEmpty || batch.createdTimes.count == count else {
      throw FeatureStoreError.invalidArgument(
        field: "columns.created_time_micros", reason: "has \(batch.createdTimes.count) values for \(count) rows")
    }
    for (name, times) in [("event_time_micros", batch.eventTimes), ("created_time_micros", batch.createdTimes)] {
      if let row = times.firstIndex(where: { !TimeRange.microseconds.contains($0) }) {
        throw FeatureStoreError.invalidArgument(field: "columns.\(name)[\(row)]", reason: TimeRange.reason)
      }
    }
    let keys = try entityKeys(batch, view: view)
    let columns = try featureColumns(batch, view: view)
    let writer = PayloadWriter(names: view.featureNames)
    let now = clock()
    var rows: [StoredRow] = []
    rows.reserveCapacity(count)
    for row in 0..<count {
      let payload = writer.encode { index in
        guard let (values, nulls) = columns[index], !nulls[row] else { return .null }
        return values[row]
      }
      rows.append(
        StoredRow(
          entity: keys[row], eventTime: batch.eventTimes[row], createdTime: batch.createdTimes.isEmpty ? now : batch.createdTimes[row],
          payload: payload))
    }
    return rows
  }

  /// Each row's entity key, from the join key columns.
  private func entityKeys(_ batch: ColumnBatch, view: FeatureViewDefinition) throws -> [String] {
    let count = batch.eventTimes.count
    let columns = try view.joinKeys.map { key in
      let field = "columns.entity_key.\(key.name)"
      guard let values = batch.keys[key.name]?.values else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "join key '\(key.name)' is required")
      }
      guard values.type == key.type else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "is \(values.type.name), the join key is \(key.type.name)")
      }
      guard values.count == count else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "has \(values.count) values for \(count) rows")
      }
      guard batch.keys[key.name]!.nullRows.isEmpty else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "a join key cannot be null")
      }
      return values
    }
    if let unknown = batch.keys.keys.first(where: { name in !view.joinKeys.contains { $0.name == name } }) {
      throw FeatureStoreError.invalidArgument(
        field: "columns.entity_key.\(unknown)", reason: "is not a join key of feature view '\(view.name)'")
    }
    return try (0..<count).map { row in
      if columns.count == 1, case .int64(let ids) = columns[0] { return String(ids[row]) }
      return try EntityKey.make(
        Dictionary(uniqueKeysWithValues: zip(view.joinKeys.map(\.name), columns.map { $0[row] })), keys: view.joinKeys,
        field: "columns.entity_key[\(row)]")
    }
  }

  /// Per feature of the view (in its order), the pushed column and its null mask, or nil.
  private func featureColumns(_ batch: ColumnBatch, view: FeatureViewDefinition) throws -> [(ColumnBatch.Values, [Bool])?] {
    let count = batch.eventTimes.count
    if let unknown = batch.features.keys.first(where: { view.index(of: $0) == nil }) {
      throw FeatureStoreError.invalidArgument(
        field: "columns.features.\(unknown)", reason: "feature view '\(view.name)' has no feature '\(unknown)'")
    }
    return try view.features.map { feature in
      guard let column = batch.features[feature.name] else { return nil }
      let field = "columns.features.\(feature.name)"
      guard let values = column.values else { throw FeatureStoreError.invalidArgument(field: field, reason: "set its values") }
      guard values.count == count else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "has \(values.count) values for \(count) rows")
      }
      let conformed = try Self.conform(values, to: feature.type, field: field)
      var nulls = [Bool](repeating: false, count: count)
      for row in column.nullRows {
        guard row >= 0, Int(row) < count else {
          throw FeatureStoreError.invalidArgument(field: "\(field).null_rows", reason: "row \(row) is outside 0..<\(count)")
        }
        nulls[Int(row)] = true
      }
      return (conformed, nulls)
    }
  }

  /// A column as the declared type: exact, or between float and double.
  static func conform(_ values: ColumnBatch.Values, to type: FeatureType, field: String) throws -> ColumnBatch.Values {
    switch (values, type) {
    case (.double(let v), .float): return .float(v.map(Float.init))
    case (.float(let v), .double): return .double(v.map(Double.init))
    default:
      guard values.type == type else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "is \(values.type.name), the view declares \(type.name)")
      }
      return values
    }
  }
}
