import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// ``PredictionSink`` over the monitor's gRPC API (`--monitor-address`): one LogPredictions
/// call per batch (in column form where it fits), every monitor watching the deployment
/// receiving it.
public struct MonitorPredictionSink: PredictionSink {
  let peer: GRPCClientService
  let timeout: Duration

  public init(peer: GRPCClientService, timeout: Duration = .seconds(10)) {
    self.peer = peer
    self.timeout = timeout
  }

  public func log(_ batch: [SampledPrediction]) async throws {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    let request = Self.request(batch)
    _ = try await Mlops_Monitor_V1_MonitorService.Client(wrapping: peer.client).logPredictions(request, options: options)
  }
}
