import GRPCCore
import MLOpsCore
import MLOpsProto
import NIOCore

/// ``FeatureLookup`` over the feature-server's GetOnlineFeatures (`--feature-server-address`):
/// one call per request, every row together; from an event loop, over the `relay`'s
/// connection on that loop when it has one.
public struct GRPCFeatureLookup: FeatureLookup {
  let peer: GRPCClientService
  let relay: NGHTTP2Relay?
  let timeout: Duration

  public init(peer: GRPCClientService, relay: NGHTTP2Relay? = nil, timeout: Duration = .seconds(5)) {
    self.peer = peer
    self.relay = relay
    self.timeout = timeout
  }

  public func online(features: [String], entities: [[String: Cell]]) async throws -> [[OnlineValue]] {
    var options = CallOptions.defaults
    options.timeout = timeout
    options.waitForReady = false
    let response: Mlops_Features_V1_GetOnlineFeaturesResponse
    do {
      response = try await Mlops_Features_V1_FeatureStoreService.Client(wrapping: peer.client).getOnlineFeatures(
        Self.request(features, entities), options: options)
    } catch let error as RPCError {
      throw refusal(error)
    }
    return try Self.values(response)
  }

  public func online(
    features: [String], entities: [[String: Cell]], on loop: any EventLoop,
    completion: @escaping (Result<[[OnlineValue]], any Error>) -> Void
  ) -> Bool {
    guard let sender = relay?.sender(on: loop), let bytes = try? Self.request(features, entities).serializedBytes() as [UInt8] else {
      return false
    }
    let path = "/" + Mlops_Features_V1_FeatureStoreService.Method.GetOnlineFeatures.descriptor.fullyQualifiedMethod
    sender.send(path: path, metadata: [:], message: bytes, timeout: timeout) { outcome in
      completion(
        Result {
          switch outcome {
          case .success(let (message, _)): try Self.values(try Mlops_Features_V1_GetOnlineFeaturesResponse(serializedBytes: message))
          case .failure(let error): throw refusal(error)
          }
        })
    }
    return true
  }

  private static func request(_ features: [String], _ entities: [[String: Cell]]) -> Mlops_Features_V1_GetOnlineFeaturesRequest {
    .with {
      $0.features = features
      $0.entityRows = entities.map { row in .with { $0.values = row.mapValues(Mlops_Common_V1_Value.init) } }
    }
  }

  /// The feature-server's failure in the router's terms: down is UNAVAILABLE naming it,
  /// anything it refuses is the deployment's enrichment that is wrong.
  private func refusal(_ error: RPCError) -> ServingError {
    if error.isPeerFailure {
      return .unavailable("enrichment: the feature-server (\(peer.peer)) is unavailable: \(error.message)")
    }
    return .failedPrecondition(field: "deployment.enrichment", reason: "the feature-server refused the lookup: \(error.message)")
  }

  private static func values(_ response: Mlops_Features_V1_GetOnlineFeaturesResponse) throws -> [[OnlineValue]] {
    try response.results.map { row in
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
