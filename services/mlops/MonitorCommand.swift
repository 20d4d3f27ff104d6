import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsRuntime

/// `mlops monitor`: monitors, references, alerts and control charts through the gateway.
struct MonitorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "monitor", abstract: "Watch deployments for drift and performance.",
    subcommands: [Create.self, List.self, Reference.self, Log.self, Alerts.self, Chart.self])

  typealias Client = Mlops_Monitor_V1_MonitorService.Client<HTTP2ClientTransport.Posix>

  static func call<T: Sendable>(_ endpoint: EndpointOptions, _ body: (Client) async throws -> T) async throws -> T {
    try await PlatformCall.run(endpoint) { try await body(Client(wrapping: $0)) }
  }

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a monitor.")
    @Argument var name: String
    @Option var deployment = ""
    @Option(help: "Numerical feature columns, comma-separated.") var numerical = ""
    @Option(help: "Categorical feature columns, comma-separated.") var categorical = ""
    @Option(help: "The prediction column (numerical).") var prediction = ""
    @Option(help: "classification or regression (for performance once labels arrive).") var task = ""
    @Option(name: .customLong("window-size"), help: "Close a window after this many predictions.") var windowSize: Int64 = 0
    @Option(name: .customLong("window-seconds"), help: "…or this many seconds after its first prediction.") var windowSeconds: Double = 0
    @Option(help: "POST alerts to this URL (repeatable).") var webhook: [String] = []
    @Option(help: "Control chart on a per-window metric, e.g. mean_prediction or drift_share:ewma (repeatable).") var chart: [String] = []
    @Option(name: .customLong("drift-share"), help: "Share of drifted columns that makes the dataset drift.") var driftShare: Double = 0
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let monitor = try definition()
      let created = try await MonitorCommand.call(endpoint) { try await $0.createMonitor(.with { $0.monitor = monitor }).monitor }
      print("created monitor \(created.name) (\(created.columns.count) columns)")
    }

    func definition() throws -> Mlops_Monitor_V1_Monitor {
      func names(_ list: String) -> [String] { list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      let charts = try chart.map { spec -> Mlops_Monitor_V1_ControlChartSpec in
        let parts = spec.split(separator: ":").map(String.init)
        let types: [String: Mlops_Monitor_V1_ChartType] = ["shewhart": .shewhart, "ewma": .ewma, "cusum": .cusum]
        guard let type = types[parts.count > 1 ? parts[1] : "shewhart"] else {
          throw ValidationError("--chart \(spec): the type is shewhart, ewma or cusum")
        }
        return .with {
          $0.metric = parts[0]
          $0.type = type
        }
      }
      return .with {
        $0.name = name
        $0.deployment = deployment
        $0.columns =
          names(numerical).map { n in
            .with {
              $0.name = n
              $0.kind = .numerical
            }
          }
          + names(categorical).map { n in
            .with {
              $0.name = n
              $0.kind = .categorical
            }
          }
          + names(prediction).map { n in
            .with {
              $0.name = n
              $0.kind = .numerical
              $0.role = .prediction
            }
          }
        $0.task = task == "classification" ? .classification : task == "regression" ? .regression : .unspecified
        $0.window.size = windowSize
        if windowSeconds > 0 { $0.window.duration = .init(milliseconds: Int64((windowSeconds * 1000).rounded())) }
        $0.actions = webhook.map { url in .with { $0.webhook.url = url } }
        $0.charts = charts
        $0.driftShareThreshold = driftShare
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List monitors.")
    @Option var deployment = ""
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let monitors = try await MonitorCommand.call(endpoint) {
        try await $0.listMonitors(
          .with {
            $0.deployment = deployment
            $0.page.pageSize = 1000
          }
        ).monitors
      }
      print(
        EndpointTable.pad("NAME", 24) + EndpointTable.pad("DEPLOYMENT", 16) + EndpointTable.pad("COLUMNS", 9)
          + EndpointTable.pad("WINDOW", 14) + "REFERENCE")
      for m in monitors {
        let window = [
          m.window.size > 0 ? "\(m.window.size) rows" : nil, m.window.duration.seconds > 0 ? "\(m.window.duration.seconds)s" : nil,
        ]
        .compactMap { $0 }.joined(separator: "/")
        print(
          EndpointTable.pad(m.name, 24) + EndpointTable.pad(m.deployment, 16) + EndpointTable.pad("\(m.columns.count)", 9)
            + EndpointTable.pad(window, 14) + (m.hasReference_p ? "yes" : "no"))
      }
    }
  }

  struct Reference: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Profile a CSV file as the monitor's reference.")
    @Argument var monitor: String
    @Argument(help: "CSV with a header row; numbers are numeric values, other cells text, empty cells missing.") var file: String
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let table = try CSVFile.table(file)
      let rows = table.rows.map { cells in
        Mlops_Common_V1_Row.with { row in
          for (name, cell) in zip(table.header, cells) where !cell.isEmpty {
            row.values[name] = Double(cell).map { n in .with { $0.doubleValue = n } } ?? .with { $0.stringValue = cell }
          }
        }
      }
      let name = monitor
      let answer = try await MonitorCommand.call(endpoint) { client in
        try await client.setReference(requestProducer: { writer in
          try await writer.write(.with { $0.header.monitor = name })
          for start in stride(from: 0, to: rows.count, by: 1000) {
            try await writer.write(.with { $0.rows.rows = Array(rows[start..<min(start + 1000, rows.count)]) })
          }
        })
      }
      print("profiled \(answer.rowsProfiled) rows as the reference of \(monitor) (profile \(answer.profileID))")
    }
  }
}
