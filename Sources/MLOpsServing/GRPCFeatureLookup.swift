import GRPCCore
import MLOpsCore
import MLOpsProto

/// ``FeatureLookup`` over the feature-server's GetOnlineFeatures (`--feature-server-address`):
/// one call per request, every row together.
public struct GRPCFeatureLookup: FeatureLookup {
  let peer: GRPCClientService
  let timeout: Duration

  public init(peer: GRPCClientService, timeout: Duration = .seconds(5)) {
    self.peer = peer
    self.timeout = timeout
  }

  public func online(features: [String], entities: [[String: Cell]]) async throws -> [[OnlineValue]] {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    let request = Mlops_Features_V1_GetOnlineFeaturesRequest.with {
      $0.features = features
      $0.entityRows = entities.map { row in .with { $0.values = row.mapValues(Mlops_Common_V1_Value.init) } }
    }
    let response: Mlops_Features_V1_GetOnlineFeaturesResponse
    do {
      response = try await Mlops_Features_V1_FeatureStoreService.Client(wrapping: peer.client).getOnlineFeatures(request, options: options)
    } catch let error as RPCError {
      if error.isPeerFailure {
        throw ServingError.unavailable("enrichment: the feature-server (\(peer.peer)) is unavailable: \(error.message)")
      }
      throw ServingError.failedPrecondition(
        field: "deployment.enrichment", reason: "the feature-server refused the lookup: \(error.message)")
    }
    return try response.results.map { row in
      try row.values.map { value in
        let cell = try Cell(value.value, field: "enrichment")
        switch value.status {
        case .present: return OnlineValue(value: cell, status: .present)
        case .nullValue: return OnlineValue(value: .null, status: .null)
        case .outsideMaxAge: return OnlineValue(value: .null, status: .outsideMaxAge)
        default: return OnlineValue(value: .null, status: .notFound)
        }
      }
    }
  }
}
