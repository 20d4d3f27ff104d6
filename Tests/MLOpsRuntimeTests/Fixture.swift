import Foundation
import MLOpsRuntime

/// One committed fixture: a model exported by scikit-learn/XGBoost/LightGBM tooling (or a
/// single-operator graph), its input rows and onnxruntime's outputs, written by
/// scripts/runtime/make-fixtures.py.
struct Fixture: Sendable {
  /// An expected output: a tensor, or ZipMap's rows of class → probability.
  enum Expected: Sendable {
    case tensor(Tensor)
    case maps(keys: [String], rows: [[Float]])
  }

  let name: String
  let model: Data
  let inputs: [String: Tensor]
  let outputs: [(name: String, value: Expected)]

  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// Every fixture name, sorted.
  static var names: [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
  }

  static func load(_ name: String) throws -> Fixture {
    let model = try Data(contentsOf: directory.appendingPathComponent(name + ".onnx"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name + ".json"))) as! [String: Any]
    let inputs = (json["inputs"] as! [[String: Any]]).map { tensor($0) }
    let outputs = (json["outputs"] as! [[String: Any]]).map { entry -> (String, Expected) in
      let name = entry["name"] as! String
      if entry["type"] as! String == "maps" {
        let rows = entry["data"] as! [[String: Any]]
        let keys = rows.first.map { $0.keys.sorted { a, b in (Int64(a) ?? 0, a) < (Int64(b) ?? 0, b) } } ?? []
        return (name, .maps(keys: keys, rows: rows.map { row in keys.map { Float(number(row[$0]!)) } }))
      }
      return (name, .tensor(tensor(entry).1))
    }
    return Fixture(name: name, model: model, inputs: Dictionary(uniqueKeysWithValues: inputs), outputs: outputs)
  }

  private static func tensor(_ entry: [String: Any]) -> (String, Tensor) {
    let shape = (entry["shape"] as! [Any]).map { ($0 as! NSNumber).intValue }
    let data = entry["data"] as! [Any]
    let values: TensorData =
      switch entry["type"] as! String {
      case "float": .float(data.map { Float(number($0)) })
      case "double": .double(data.map { number($0) })
      case "int64": .int64(data.map { ($0 as! NSNumber).int64Value })
      case "bool": .bool(data.map { ($0 as! NSNumber).boolValue })
      default: .string(data.map { $0 as! String })
      }
    return (entry["name"] as! String, Tensor(shape: shape, data: values))
  }

  private static func number(_ value: Any) -> Double {
    if let text = value as? String {
      return text == "nan" ? .nan : (text == "inf" ? .infinity : -.infinity)
    }
    return (value as! NSNumber).doubleValue
  }
}
