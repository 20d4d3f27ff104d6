import GRPCCore
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// ``PredictionSink`` over the monitor's gRPC API (`--monitor-address`): one LogPredictions
/// call per batch, every monitor watching the deployment receiving it.
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
    let request = Mlops_Monitor_V1_LogPredictionsRequest.with {
      $0.records = batch.map { record in
        .with {
          $0.requestID = record.requestID
          $0.deployment = record.deployment
          $0.variant = record.variant
          $0.modelName = record.modelName
          $0.modelVersion = record.modelVersion
          $0.time = Google_Protobuf_Timestamp(milliseconds: record.time)
          $0.latencyMs = record.latencyMilliseconds
          $0.features = record.features.mapValues(Mlops_Common_V1_Value.init)
          $0.outputs = record.outputs.mapValues(Mlops_Common_V1_Value.init)
        }
      }
    }
    _ = try await Mlops_Monitor_V1_MonitorService.Client(wrapping: peer.client).logPredictions(request, options: options)
  }
}
