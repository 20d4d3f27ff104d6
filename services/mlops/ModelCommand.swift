import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsRuntime

/// `mlops onnx` (formerly `mlops model`): verify a model file before registering it.
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "onnx", abstract: "Check and run ONNX model files locally (not the registry's models: `mlops models`).",
    subcommands: [ModelCheckCommand.self, ModelPredictCommand.self, ModelBenchCommand.self])
}

/// `mlops model`: the old name of `mlops onnx` — beside `mlops models` (the registry) a trap —
/// kept working, out of the help, for one release.
struct LegacyModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model", abstract: ModelCommand.configuration.abstract, shouldDisplay: false,
    subcommands: ModelCommand.configuration.subcommands)
}

/// `mlops onnx check FILE`: what the file declares and whether this platform can run it.
struct ModelCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Print a model's inputs, outputs and operators, and whether it can run (exit 1 if not).")

  @Argument(help: "The .onnx file.") var file: String

  func run() throws {
    let bytes = try ModelFile.read(file)
    let summary = try ModelFile.summary(bytes, file: file)
    print("model:     \(file)\(summary.producer.isEmpty ? "" : " (\(summary.producer))")")
    print("opsets:    " + summary.opsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    print("inputs:")
    summary.inputs.forEach { print("  \($0)") }
    print("outputs:")
    summary.outputs.forEach { print("  \($0)") }
    print("operators:")
    let known = Set(ModelFile.supportedOperators)
    summary.operators.forEach { print("  \($0)\(known.contains($0) ? "" : "  (not supported)")") }
    do {
      _ = try Model.check(summary)
      print("runnable:  yes")
    } catch let error as ModelError {
      print("runnable:  no — \(error.message)")
      throw ExitCode.failure
    }
  }
}

/// `mlops onnx predict FILE --input rows.csv`: run the model on CSV rows, print predictions.
struct ModelPredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict", abstract: "Run a model on the rows of a CSV file and print one prediction per row.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

  @Argument(help: "The .onnx file.") var file: String
  @Option(help: "CSV rows; the header names the model's inputs, or is the feature columns of a single 2-D input.") var input: String
  @Option(help: "Output format: csv or jsonl.") var format: Format = .csv

  func run() throws {
    let model: Model
    do {
      model = try Model(bytes: try ModelFile.read(file))
    } catch let error as ModelError {
      throw StartupError("\(file): \(error.message)")
    }
    let table = try CSVFile.table(input)
    do {
      let outputs = try model.run(try TabularFeeds.make(for: model, table: table))
      let rows = PredictionRows(outputs: outputs, order: model.outputs)
      let lines = format == .csv ? rows.csvLines() : try rows.jsonLines()
      print(lines.joined(separator: "\n"))
    } catch let error as ModelError {
      throw StartupError("\(input): \(error.message)")
    }
  }
}

/// Reading a model file with errors a user can act on.
enum ModelFile {
  static func read(_ path: String) throws -> Data {
    guard let bytes = FileManager.default.contents(atPath: path) else { throw StartupError("cannot read \(path)") }
    return bytes
  }

  static func summary(_ bytes: Data, file: String) throws -> ModelSummary {
    do {
      return try ModelSummary(bytes: bytes)
    } catch let error as ModelError {
      throw StartupError("\(file): \(error.message)")
    }
  }

  static var supportedOperators: [String] { Model.supportedOperators }
}
