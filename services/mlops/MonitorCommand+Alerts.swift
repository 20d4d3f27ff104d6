import ArgumentParser
import Foundation
import MLOpsCore
import MLOpsProto

extension MonitorCommand {
  struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List alerts, or follow them as they fire.")
    @Argument(help: "Only this monitor's alerts.") var monitor: String = ""
    @Flag(help: "Keep printing alerts as they fire (and as their actions complete).") var follow = false
    @Flag(help: "Only open alerts.") var open = false
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let (name, states) = (monitor, open ? [Mlops_Monitor_V1_AlertState.open] : [])
      try await MonitorCommand.call(endpoint) { client in
        if follow {
          try await client.watchAlerts(.with { $0.monitor = name }) { response in
            for try await message in response.messages {
              print(Self.line(message.alert))
              fflush(nil)
            }
          }
        } else {
          let alerts = try await client.listAlerts(
            .with {
              $0.monitor = name
              $0.states = states
              $0.page.pageSize = 1000
            }
          ).alerts
          // An empty answer says so: silence read as "the command did nothing".
          if alerts.isEmpty { print(Self.none(monitor: name, openOnly: !states.isEmpty)) }
          for alert in alerts { print(Self.line(alert)) }
        }
      }
    }

    /// What `alerts` prints when there are none.
    static func none(monitor: String, openOnly: Bool) -> String {
      "no \(openOnly ? "open " : "")alerts" + (monitor.isEmpty ? "" : " for monitor '\(monitor)'")
    }

    static func line(_ a: Mlops_Monitor_V1_Alert) -> String {
      let time = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(a.createdTime.seconds)))
      let state = a.state == .open ? "OPEN" : a.state == .acknowledged ? "ACKNOWLEDGED" : "RESOLVED"
      let outcomes = a.outcomes.map { "\($0.action) \($0.succeeded ? "ok" : "failed") after \($0.attempts)" }.joined(separator: ", ")
      return "\(time)  \(a.alertID.prefix(8))  \(a.monitor)  \(state)  \(a.message)" + (outcomes.isEmpty ? "" : "  [\(outcomes)]")
    }
  }

  struct Chart: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw a per-window metric's control chart in the terminal.")
    @Argument var monitor: String
    @Argument(help: "mean_prediction, error_rate, accuracy, latency_p99, drift_share, drift.<column>…") var metric: String
    @OptionGroup var endpoint: EndpointOptions

    func run() async throws {
      let (name, metric) = (monitor, metric)
      let chart = try await MonitorCommand.call(endpoint) {
        try await $0.getControlChart(
          .with {
            $0.monitor = name
            $0.metric = metric
          })
      }
      print(Self.render(chart))
    }

    /// One row per window: the plotted statistic between the control limits (`|`), the centre
    /// line (`:`), `o` in control, `X` where a rule is broken.
    static func render(_ chart: Mlops_Monitor_V1_GetControlChartResponse, width: Int = 50) -> String {
      // No windows yet: limits of nothing would print as "centre 0 limits [0, 0]".
      guard !chart.points.isEmpty else {
        return "\(chart.metric): no windows evaluated yet, so no control chart (windows close as predictions arrive)"
      }
      let values = chart.points.map(\.statistic) + [chart.upperControlLimit, chart.lowerControlLimit]
      let (low, high) = (values.min() ?? 0, values.max() ?? 1)
      let span = high > low ? high - low : 1
      func column(_ v: Double) -> Int { Int(((v - low) / span * Double(width - 1)).rounded()) }
      let flagged = Dictionary(chart.violations.map { (Int($0.index), $0.rule) }, uniquingKeysWith: { a, _ in a })
      var lines = [
        String(
          format: "%@  centre %.6g  limits [%.6g, %.6g]  %d windows, %d violations", chart.metric, chart.centerLine,
          chart.lowerControlLimit, chart.upperControlLimit, chart.points.count, chart.violations.count)
      ]
      for (index, point) in chart.points.enumerated() {
        var row = Array(repeating: Character(" "), count: width)
        row[column(chart.lowerControlLimit)] = "|"
        row[column(chart.upperControlLimit)] = "|"
        row[column(chart.centerLine)] = ":"
        row[column(point.statistic)] = flagged[index] == nil ? "o" : "X"
        lines.append(String(format: "%4d %12.6g ", index, point.statistic) + String(row) + (flagged[index].map { "  \($0)" } ?? ""))
      }
      return lines.joined(separator: "\n")
    }
  }
}
