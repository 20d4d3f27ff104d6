import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsProto
import MLOpsRuntime
import SwiftProtobuf

extension FeaturesCommand {
  struct Push: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Push rows from a CSV file to a feature view.",
      // One paragraph (`\` joins the lines): the help wraps it at the terminal's width, and a
      // hard break inside it left half-lines.
      discussion: """
        The header names the view's join keys, event_timestamp (ISO 8601 or epoch seconds), \
        optionally created_timestamp, and features. An empty cell is null; list features are \
        JSON arrays. For example:

        driver_id,event_timestamp,conv_rate,tags
        1001,2026-12-07T10:00:00Z,0.82,"[""a"",""b""]"
        """)
    @Argument(help: "The feature view.") var view: String
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "online, offline or both.") var to = "both"
    @OptionGroup var endpoint: EndpointOptions

    static let batch = 5_000

    func run() async throws {
      let targets: [String: Mlops_Features_V1_PushTarget] = ["both": .onlineAndOffline, "online": .online, "offline": .offline]
      guard let target = targets[to] else { throw ValidationError("--to is online, offline or both") }
      let table = try CSVFile.table(file)
      let response = try await FeaturesCommand.call(endpoint) { client in
        let definition = try await client.getFeatureView(.with { $0.name = view }).featureView
        let rows = try Self.rows(table, path: file, definition: definition)
        return try await client.pushStream(requestProducer: { writer in
          for start in stride(from: 0, to: rows.count, by: Self.batch) {
            try await writer.write(
              .with {
                $0.featureView = view
                $0.to = target
                $0.rows = Array(rows[start..<min(start + Self.batch, rows.count)])
              })
          }
        })
      }
      print(
        "\(FeaturesCommand.count(response.rowsWritten, "row")) written to \(view), \(response.rowsSuperseded) superseded online by newer events"
      )
    }

    /// Each CSV line as a row, its cells typed by the view's schema.
    static func rows(_ table: CSVTable, path: String, definition: Mlops_Features_V1_FeatureView) throws -> [Mlops_Features_V1_FeatureRow] {
      var types: [String: Mlops_Common_V1_ValueType] = [:]
      for key in definition.joinKeys { types[key.name] = key.type }
      for feature in definition.features { types[feature.name] = feature.type }
      let keys = Set(definition.joinKeys.map(\.name))
      let times = ["event_timestamp", "event_time", "created_timestamp", "created_time"]
      for column in table.header where types[column] == nil && !times.contains(column) {
        throw StartupError("\(path): column '\(column)' is not a join key, a timestamp or a feature of \(definition.name)")
      }
      return try table.rows.enumerated().map { line, cells in
        var row = Mlops_Features_V1_FeatureRow()
        for (column, cell) in zip(table.header, cells) {
          let field = "\(path) line \(line + 2), column \(column)"
          switch column {
          case "event_timestamp", "event_time": row.eventTime = try FeatureValueText.timestamp(cell, option: field)
          case "created_timestamp", "created_time":
            if !cell.isEmpty { row.createdTime = try FeatureValueText.timestamp(cell, option: field) }
          default:
            let value = try FeatureValueText.value(cell, type: types[column]!, field: field)
            if keys.contains(column) { row.entityKey[column] = value } else { row.features[column] = value }
          }
        }
        return row
      }
    }
  }
}
