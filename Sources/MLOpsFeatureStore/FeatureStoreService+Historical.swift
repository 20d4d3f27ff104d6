import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// GetHistoricalFeatures on the wire: entity rows as rows or columns in, chunks as rows or
/// columns out.
extension FeatureStoreService {
  static func historical(
    _ r: Mlops_Features_V1_GetHistoricalFeaturesRequest, engine: FeatureEngine,
    writer: RPCWriter<Mlops_Features_V1_GetHistoricalFeaturesResponse>
  ) async throws {
    let references = try await engine.references(features: r.features, service: r.featureService)
    var rows = try r.entityRows.enumerated().map { index, row in
      let instant = try Self.time(row.hasEventTime ? row.eventTime : nil, field: "entity_rows[\(index)].event_time")
      return EntityTimeRow(key: FeatureData.map(row.entityKey), time: instant)
    }
    if r.hasEntityColumns { rows += try entityRows(r.entityColumns) }
    let types = try engine.types(of: references)
    if r.columnar, let list = types.firstIndex(where: { !$0.isScalar }) {
      throw FeatureStoreError.invalidArgument(field: "columnar", reason: "'\(references[list])' is a list feature; ask for rows")
    }
    var first = true
    try await engine.historicalFeatures(references, rows: rows) { results in
      var message = Mlops_Features_V1_GetHistoricalFeaturesResponse()
      if first { message.featureNames = references.map(\.description) }
      first = false
      if r.columnar {
        message.columns = columns(results, types: types)
      } else {
        message.rows = results.map { result in
          .with {
            $0.rowIndex = Int64(result.rowIndex)
            $0.entityKey = rows[result.rowIndex].key.mapValues(Mlops_Common_V1_Value.init)
            $0.eventTime = .init(microseconds: rows[result.rowIndex].time)
            $0.values = result.values.map(Mlops_Features_V1_FeatureValue.init)
          }
        }
      }
      try await writer.write(message)
    }
  }

  /// Entity rows from columns.
  /// - Throws: INVALID_ARGUMENT naming `entity_columns.entity_key.<key>` for a column of the
  ///   wrong length, with no values, or with null rows.
  static func entityRows(_ p: Mlops_Features_V1_EntityColumns) throws -> [EntityTimeRow] {
    let count = p.eventTimeMicros.count
    let keys = try p.entityKey.map { name, column in
      let field = "entity_columns.entity_key.\(name)"
      let parsed = ColumnBatch.Column(column)
      guard let values = parsed.values else { throw FeatureStoreError.invalidArgument(field: field, reason: "set its values") }
      guard values.count == count else {
        throw FeatureStoreError.invalidArgument(field: field, reason: "has \(values.count) values for \(count) rows")
      }
      guard parsed.nullRows.isEmpty else { throw FeatureStoreError.invalidArgument(field: field, reason: "a join key cannot be null") }
      return (name, values)
    }
    if let row = p.eventTimeMicros.firstIndex(where: { !TimeRange.microseconds.contains($0) }) {
      throw FeatureStoreError.invalidArgument(field: "entity_columns.event_time_micros[\(row)]", reason: TimeRange.reason)
    }
    return p.eventTimeMicros.enumerated().map { row, time in
      var key: [String: FeatureData] = [:]
      for (name, values) in keys { key[name] = values[row] }
      return EntityTimeRow(key: key, time: time)
    }
  }

  /// One chunk as columns, each in its feature's type.
  static func columns(_ results: [HistoricalResult], types: [FeatureType]) -> Mlops_Features_V1_HistoricalColumns {
    var out = Mlops_Features_V1_HistoricalColumns()
    out.rowIndex = results.map { Int64($0.rowIndex) }
    out.features = types.enumerated().map { position, type in
      let served = results.map { $0.values[position] }
      return .with {
        $0.status = served.map { Int32($0.status.rawValue) }
        $0.eventTimeMicros = served.map { $0.eventTime ?? 0 }
        $0.values = column(served.map(\.value), type: type)
      }
    }
    return out
  }

  /// Values of one scalar type as a column; anything else (null) is a placeholder listed in
  /// `null_rows`.
  static func column(_ values: [FeatureData], type: FeatureType) -> Mlops_Features_V1_FeatureColumn {
    var nulls: [Int32] = []
    func typed<T>(_ extract: (FeatureData) -> T?, _ placeholder: T) -> [T] {
      values.enumerated().map { index, value in
        if let x = extract(value) { return x }
        nulls.append(Int32(index))
        return placeholder
      }
    }
    var column = Mlops_Features_V1_FeatureColumn()
    switch type {
    case .int64: column.int64Values.values = typed({ if case .int64(let x) = $0 { x } else { nil } }, 0)
    case .double: column.doubleValues.values = typed({ if case .double(let x) = $0 { x } else { nil } }, 0)
    case .float: column.floatValues.values = typed({ if case .float(let x) = $0 { x } else { nil } }, 0)
    case .string: column.stringValues.values = typed({ if case .string(let x) = $0 { x } else { nil } }, "")
    case .bool: column.boolValues.values = typed({ if case .bool(let x) = $0 { x } else { nil } }, false)
    case .bytes: column.bytesValues.values = typed({ if case .bytes(let x) = $0 { x } else { nil } }, Data())
    default: break
    }
    column.nullRows = nulls
    return column
  }
}

extension FeatureType {
  /// Whether a column (`FeatureColumn`) can carry it.
  var isScalar: Bool { rawValue <= FeatureType.bytes.rawValue }
}
