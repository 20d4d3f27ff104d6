import ArgumentParser
import Foundation
import MLOpsProto

/// The definitions file `mlops features apply` reads: entities, feature views and feature
/// services in the wire's field names (snake_case), types by name (`int64`, `double_list`…).
struct FeatureDefinitionsFile {
  var entities: [Mlops_Features_V1_Entity] = []
  var views: [Mlops_Features_V1_FeatureView] = []
  var services: [Mlops_Features_V1_FeatureService] = []

  struct File: Decodable {
    struct Entity: Decodable {
      var name: String
      var join_key: String?
      var value_type: String
      var description: String?
      var tags: [String: String]?
    }
    struct Feature: Decodable {
      var name: String
      var type: String
      var description: String?
    }
    struct View: Decodable {
      var name: String
      var entities: [String]
      var features: [Feature]
      var ttl_seconds: Double?
      var online: Bool?
      var offline: Bool?
      var tags: [String: String]?
      var owner: String?
      var description: String?
    }
    struct Service: Decodable {
      var name: String
      var features: [String]
      var description: String?
      var owner: String?
    }
    var entities: [Entity]?
    var feature_views: [View]?
    var feature_services: [Service]?
  }

  init(contentsOf path: String) throws {
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw ValidationError("\(path): \(error)")
    }
    entities = try (file.entities ?? []).map { e in
      let type = try Self.type(e.value_type, "entities.\(e.name).value_type")
      return .with {
        $0.name = e.name
        $0.joinKey = e.join_key ?? e.name
        $0.valueType = type
        $0.description_p = e.description ?? ""
        $0.tags = e.tags ?? [:]
      }
    }
    views = try (file.feature_views ?? []).map(Self.view)
    services = (file.feature_services ?? []).map { s in
      .with {
        $0.name = s.name
        $0.features = s.features
        $0.description_p = s.description ?? ""
        $0.owner = s.owner ?? ""
      }
    }
  }

  static func view(_ v: File.View) throws -> Mlops_Features_V1_FeatureView {
    let features = try v.features.map { f in
      let type = try type(f.type, "feature_views.\(v.name).features.\(f.name).type")
      return Mlops_Features_V1_Feature.with {
        $0.name = f.name
        $0.type = type
        $0.description_p = f.description ?? ""
      }
    }
    return .with {
      $0.name = v.name
      $0.entities = v.entities
      $0.features = features
      if let ttl = v.ttl_seconds { $0.ttl = .init(seconds: Int64(ttl), nanos: Int32((ttl - ttl.rounded(.down)) * 1e9)) }
      $0.online = v.online ?? true
      $0.offline = v.offline ?? true
      $0.tags = v.tags ?? [:]
      $0.owner = v.owner ?? ""
      $0.description_p = v.description ?? ""
    }
  }

  static let types: [String: Mlops_Common_V1_ValueType] = [
    "int64": .int64, "double": .double, "float": .float, "string": .string, "bool": .bool, "bytes": .bytes,
    "int64_list": .int64List, "double_list": .doubleList, "float_list": .floatList, "string_list": .stringList, "bool_list": .boolList,
  ]

  static func type(_ name: String, _ field: String) throws -> Mlops_Common_V1_ValueType {
    guard let type = types[name.lowercased()] else { throw ValidationError("\(field): '\(name)' is not one of \(types.keys.sorted())") }
    return type
  }
}
