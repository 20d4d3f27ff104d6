import Foundation
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Protobuf ⇄ domain for the feature store API.
extension FeatureData {
  init(_ p: Mlops_Common_V1_Value) {
    switch p.kind {
    case nil, .nullValue?: self = .null
    case .int64Value(let v)?: self = .int64(v)
    case .doubleValue(let v)?: self = .double(v)
    case .floatValue(let v)?: self = .float(v)
    case .stringValue(let v)?: self = .string(v)
    case .boolValue(let v)?: self = .bool(v)
    case .bytesValue(let v)?: self = .bytes(v)
    case .int64List(let v)?: self = .int64List(v.values)
    case .doubleList(let v)?: self = .doubleList(v.values)
    case .floatList(let v)?: self = .floatList(v.values)
    case .stringList(let v)?: self = .stringList(v.values)
    case .boolList(let v)?: self = .boolList(v.values)
    }
  }

  static func map(_ p: [String: Mlops_Common_V1_Value]) -> [String: FeatureData] {
    p.mapValues(FeatureData.init)
  }
}

extension Mlops_Common_V1_Value {
  init(_ d: FeatureData) {
    self.init()
    switch d {
    case .null: kind = .nullValue(.nullValue)
    case .int64(let v): kind = .int64Value(v)
    case .double(let v): kind = .doubleValue(v)
    case .float(let v): kind = .floatValue(v)
    case .string(let v): kind = .stringValue(v)
    case .bool(let v): kind = .boolValue(v)
    case .bytes(let v): kind = .bytesValue(v)
    case .int64List(let v): kind = .int64List(.with { $0.values = v })
    case .doubleList(let v): kind = .doubleList(.with { $0.values = v })
    case .floatList(let v): kind = .floatList(.with { $0.values = v })
    case .stringList(let v): kind = .stringList(.with { $0.values = v })
    case .boolList(let v): kind = .boolList(.with { $0.values = v })
    }
  }
}

extension FeatureType {
  /// - Throws: INVALID_ARGUMENT naming `field` for UNSPECIFIED or an unknown value.
  init(_ p: Mlops_Common_V1_ValueType, field: String) throws {
    guard let type = FeatureType(rawValue: p.rawValue) else {
      throw FeatureStoreError.invalidArgument(field: field, reason: "name a value type")
    }
    self = type
  }

  var proto: Mlops_Common_V1_ValueType { Mlops_Common_V1_ValueType(rawValue: rawValue) ?? .unspecified }
}

extension EntityDefinition {
  init(_ p: Mlops_Features_V1_Entity) throws {
    self.init(
      name: p.name, joinKey: p.joinKey.isEmpty ? p.name : p.joinKey, valueType: try FeatureType(p.valueType, field: "entity.value_type"),
      description: p.description_p, tags: p.tags)
  }

  var proto: Mlops_Features_V1_Entity {
    .with {
      $0.name = name
      $0.joinKey = joinKey
      $0.valueType = valueType.proto
      $0.description_p = description
      $0.tags = tags
    }
  }
}

extension FeatureViewDefinition {
  /// A view as sent. Leaving both `online` and `offline` false (proto3's default) keeps both
  /// stores, as Feast does by default; a view that keeps neither would accept no data.
  init(_ p: Mlops_Features_V1_FeatureView) throws {
    self.init(
      name: p.name, entities: p.entities,
      features: try p.features.enumerated().map { index, f in
        Feature(
          name: f.name, type: try FeatureType(f.type, field: "feature_view.features[\(index)].type"), description: f.description_p,
          tags: f.tags)
      })
    ttlMicroseconds = try p.ttl.microseconds { FeatureStoreError.invalidArgument(field: "feature_view.ttl", reason: $0) }
    (online, offline) = (p.online || !p.offline, p.offline || !p.online)
    tags = p.tags
    owner = p.owner
    description = p.description_p
  }

  var proto: Mlops_Features_V1_FeatureView {
    .with {
      $0.name = name
      $0.entities = entities
      $0.features = features.map { f in
        .with {
          $0.name = f.name
          $0.type = f.type.proto
          $0.description_p = f.description
          $0.tags = f.tags
        }
      }
      $0.ttl = .init(seconds: ttlMicroseconds / 1_000_000, nanos: Int32(ttlMicroseconds % 1_000_000 * 1000))
      $0.online = online
      $0.offline = offline
      $0.tags = tags
      $0.owner = owner
      $0.description_p = description
      $0.version = version
      $0.createdTime = .init(microseconds: createdMicroseconds)
      $0.updatedTime = .init(microseconds: updatedMicroseconds)
      $0.joinKeys = joinKeys.map { key in
        .with {
          $0.name = key.name
          $0.type = key.type.proto
        }
      }
    }
  }
}

extension FeatureServiceDefinition {
  init(_ p: Mlops_Features_V1_FeatureService) throws {
    self.init(
      name: p.name,
      features: try p.features.enumerated().map { try FeatureReference(parsing: $1, field: "feature_service.features[\($0)]") },
      description: p.description_p, tags: p.tags, owner: p.owner)
  }

  var proto: Mlops_Features_V1_FeatureService {
    .with {
      $0.name = name
      $0.features = features.map(\.description)
      $0.description_p = description
      $0.tags = tags
      $0.owner = owner
    }
  }
}

extension Mlops_Features_V1_FeatureValue {
  init(_ v: ServedValue) {
    self.init()
    if !v.value.isNull { value = .init(v.value) }
    status = Mlops_Features_V1_FeatureStatus(rawValue: v.status.rawValue) ?? .invalid
    if let time = v.eventTime { eventTime = .init(microseconds: time) }
  }
}

extension IncomingRow {
  /// - Throws: INVALID_ARGUMENT naming `<field>.event_time` or `.created_time` outside
  ///   protobuf's Timestamp range.
  init(_ p: Mlops_Features_V1_FeatureRow, field: String) throws {
    self.init(
      entityKey: FeatureData.map(p.entityKey), eventTime: try Self.time(p.eventTime, p.hasEventTime, field: "\(field).event_time"),
      createdTime: try Self.time(p.createdTime, p.hasCreatedTime, field: "\(field).created_time"), features: FeatureData.map(p.features))
  }

  private static func time(_ t: Google_Protobuf_Timestamp, _ present: Bool, field: String) throws -> Int64? {
    present ? try t.microseconds { FeatureStoreError.invalidArgument(field: field, reason: $0) } : nil
  }
}

extension ColumnBatch {
  /// - Throws: INVALID_ARGUMENT naming a column with no values set.
  init(_ p: Mlops_Features_V1_FeatureColumns) throws {
    self.init(
      eventTimes: p.eventTimeMicros, createdTimes: p.createdTimeMicros,
      keys: p.entityKey.mapValues(Column.init), features: p.features.mapValues(Column.init))
  }
}

extension ColumnBatch.Column {
  init(_ p: Mlops_Features_V1_FeatureColumn) {
    let values: ColumnBatch.Values? =
      switch p.values {
      case .int64Values(let v)?: .int64(v.values)
      case .doubleValues(let v)?: .double(v.values)
      case .floatValues(let v)?: .float(v.values)
      case .stringValues(let v)?: .string(v.values)
      case .boolValues(let v)?: .bool(v.values)
      case .bytesValues(let v)?: .bytes(v.values)
      case nil: nil
      }
    self.init(values: values, nullRows: p.nullRows)
  }
}
