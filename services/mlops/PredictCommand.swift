import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsRuntime

/// `mlops predict NAME --input rows.csv`: send CSV rows to a deployment, print one prediction
/// per row. The header names the model's inputs, or is the feature columns (in order) of a
/// single 2-D input, as `mlops onnx predict` reads it.
struct PredictCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict", abstract: "Send the rows of a CSV file to a deployment and print its predictions.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

  @OptionGroup var endpoint: EndpointOptions
  @Argument(help: "Deployment name.") var deployment: String
  @Option(help: "CSV rows to predict.") var input: String
  @Option(help: "Output format: csv or jsonl.") var format: Format = .csv
  @Option(name: .customLong("routing-key"), help: "Sticky routing key (user or session id).") var routingKey: String = ""
  @Option(help: "Force a variant by name (the x-mlops-variant header).") var variant: String?

  func run() async throws {
    let table = try CSVFile.table(input)
    let answer = try await PlatformCall.run(endpoint) { client in
      let metadata = try await Inference_GRPCInferenceService.Client(wrapping: client).modelMetadata(.with { $0.name = deployment })
      let instances = try PredictInstances.make(table: table, inputs: metadata.inputs, file: input)
      let headers: Metadata = variant.map { ["x-mlops-variant": "\($0)"] } ?? [:]
      return try await Mlops_Serving_V1_InferenceRouterService.Client(wrapping: client).predict(
        .with {
          $0.deployment = deployment
          $0.instances = instances
          $0.routingKey = routingKey
        }, metadata: headers)
    }
    FileHandle.standardError.write(
      Data("served by \(answer.variant) (\(answer.modelName) version \(answer.modelVersion)), request \(answer.requestID)\n".utf8))
    print(PredictInstances.render(answer.outputs, format: format).joined(separator: "\n"))
  }
}

/// CSV cells as Predict instances, and Predict rows as CSV or JSON lines.
enum PredictInstances {
  typealias Input = Inference_ModelMetadataResponse.TensorMetadata

  static func make(table: CSVTable, inputs: [Input], file: String) throws -> [Mlops_Serving_V1_PredictInstance] {
    let columns = Dictionary(table.header.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
    if inputs.allSatisfy({ columns[$0.name] != nil }) {
      return try table.rows.enumerated().map { line, row in
        try .with { instance in
          for spec in inputs {
            instance.features[spec.name] = try cell(row[columns[spec.name]!], spec.datatype, at: "\(file):\(line + 2) \(spec.name)")
          }
        }
      }
    }
    guard inputs.count == 1, let spec = inputs.first else {
      throw StartupError("\(file): the header must name the model's inputs (\(inputs.map(\.name).joined(separator: ", ")))")
    }
    return try table.rows.enumerated().map { line, row in
      let values = try row.enumerated().map { try cell($1, spec.datatype, at: "\(file):\(line + 2) column \($0 + 1)") }
      return .with { $0.features[spec.name] = list(values, spec.datatype) }
    }
  }

  private static func cell(_ text: String, _ datatype: String, at place: String) throws -> Mlops_Common_V1_Value {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    switch datatype {
    case "FP32", "FP64":
      if trimmed.isEmpty || trimmed.lowercased() == "nan" { return .with { $0.nullValue = .nullValue } }
      guard let number = Double(trimmed) else { throw StartupError("\(place): '\(text)' is not a number") }
      return .with { $0.doubleValue = number }
    case "INT64":
      guard let number = Int64(trimmed) else { throw StartupError("\(place): '\(text)' is not an integer") }
      return .with { $0.int64Value = number }
    case "BOOL": return .with { $0.boolValue = ["1", "true"].contains(trimmed.lowercased()) }
    default: return .with { $0.stringValue = text }
    }
  }

  private static func list(_ values: [Mlops_Common_V1_Value], _ datatype: String) -> Mlops_Common_V1_Value {
    switch datatype {
    case "FP32", "FP64": .with { $0.doubleList.values = values.map { $0.kind == .nullValue(.nullValue) ? .nan : $0.doubleValue } }
    case "INT64": .with { $0.int64List.values = values.map(\.int64Value) }
    case "BOOL": .with { $0.boolList.values = values.map(\.boolValue) }
    default: .with { $0.stringList.values = values.map(\.stringValue) }
    }
  }

  static func render(_ rows: [Mlops_Common_V1_Row], format: PredictCommand.Format) -> [String] {
    let names = Set(rows.flatMap(\.values.keys)).sorted()
    switch format {
    case .jsonl:
      return rows.map { row in
        "{" + names.compactMap { name in row.values[name].map { "\"\(name)\": \(json($0))" } }.joined(separator: ", ") + "}"
      }
    case .csv:
      return [names.joined(separator: ",")] + rows.map { row in names.map { row.values[$0].map(text) ?? "" }.joined(separator: ",") }
    }
  }

  private static func text(_ v: Mlops_Common_V1_Value) -> String {
    switch v.kind {
    case .int64Value(let x)?: "\(x)"
    case .doubleValue(let x)?: "\(x)"
    case .stringValue(let x)?: x.contains(",") ? "\"\(x)\"" : x
    case .boolValue(let x)?: "\(x)"
    case .doubleList(let l)?: "\"" + l.values.map { "\($0)" }.joined(separator: " ") + "\""
    case .int64List(let l)?: "\"" + l.values.map { "\($0)" }.joined(separator: " ") + "\""
    default: ""
    }
  }

  private static func json(_ v: Mlops_Common_V1_Value) -> String {
    switch v.kind {
    case .int64Value(let x)?: "\(x)"
    case .doubleValue(let x)?: x.isFinite ? "\(x)" : "\"\(x)\""
    case .stringValue(let x)?: String(decoding: (try? JSONEncoder().encode(x)) ?? Data("\"\"".utf8), as: UTF8.self)
    case .boolValue(let x)?: "\(x)"
    case .doubleList(let l)?: "[" + l.values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ", ") + "]"
    case .int64List(let l)?: "[" + l.values.map { "\($0)" }.joined(separator: ", ") + "]"
    default: "null"
    }
  }
}
