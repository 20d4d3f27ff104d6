import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Where canary analysis asks about open alerts: the monitor, over gRPC.
public protocol AlertSource: Sendable {
  /// Open drift and performance alerts of the monitors watching `deployment`, raised at or
  /// after `since` (epoch milliseconds): what the change under analysis may have caused.
  /// - Throws: ``ServingError`` UNAVAILABLE when the monitor cannot answer.
  func openAlerts(deployment: String, since: Int64) async throws -> Int
}

/// ``AlertSource`` over the monitor's ListMonitors and ListAlerts (`--monitor-address`).
public struct MonitorAlertSource: AlertSource {
  let peer: GRPCClientService
  let timeout: Duration

  public init(peer: GRPCClientService, timeout: Duration = .seconds(5)) {
    self.peer = peer
    self.timeout = timeout
  }

  public func openAlerts(deployment: String, since: Int64) async throws -> Int {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    let monitor = Mlops_Monitor_V1_MonitorService.Client(wrapping: peer.client)
    do {
      let monitors = try await monitor.listMonitors(
        .with {
          $0.deployment = deployment
          $0.page.pageSize = 1000
        }, options: options
      ).monitors
      var open = 0
      for watching in monitors {
        let alerts = try await monitor.listAlerts(
          .with {
            $0.monitor = watching.name
            $0.states = [.open]
            $0.page.pageSize = 1000
          }, options: options
        ).alerts
        open += alerts.filter { ($0.kind == .drift || $0.kind == .performance) && $0.createdTime.milliseconds >= since }.count
      }
      return open
    } catch let error as RPCError {
      throw ServingError.unavailable("the monitor (\(peer.peer)) is unavailable: \(error.message)")
    }
  }
}
