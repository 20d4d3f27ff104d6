import ArgumentParser
import MLOpsCore

/// `mlops status`: the health of every process, as a table; exit 1 unless all serve.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Print the health of every platform process.")

  @OptionGroup var endpoint: EndpointOptions

  func run() async throws {
    let layout = endpoint.layout
    var healthy = true
    print(EndpointTable.header)
    for entry in PlatformLayout.entries {
      let outcome = await HealthProbe.check(host: layout.host, port: layout.grpcPort(entry))
      if outcome != .serving { healthy = false }
      print(EndpointTable.row(entry, layout: layout, status: outcome.description))
    }
    if !healthy { throw ExitCode.failure }
  }
}

/// The endpoints table `up` and `status` print.
enum EndpointTable {
  static let header = pad("PROCESS", 18) + pad("GRPC", 22) + pad("HTTP (/metrics, /healthz)", 30) + "STATUS"

  static func row(_ entry: PlatformLayout.Entry, layout: PlatformLayout, status: String) -> String {
    pad(entry.name, 18) + pad("\(layout.host):\(layout.grpcPort(entry))", 22)
      + pad("http://\(layout.host):\(layout.httpPort(entry))", 30) + status
  }

  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }
}
