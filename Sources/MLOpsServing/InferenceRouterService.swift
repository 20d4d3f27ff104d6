import Foundation
import GRPCCore
import MLOpsCore
import MLOpsProto

/// `mlops.serving.v1.InferenceRouterService` on the wire: converts proto ⇄ domain and calls
/// ``RouterEngine``. Rollout actions answer for deployments without a rollout (every SINGLE
/// and A/B deployment is STABLE); canary rollouts are refused at creation until they exist.
public struct InferenceRouterService: RegistrableRPCService {
  typealias Methods = Mlops_Serving_V1_InferenceRouterService.Method
  let engine: RouterEngine

  public init(engine: RouterEngine) {
    self.engine = engine
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    registerDeploymentMethods(with: &router)
    registerRolloutMethods(with: &router)
    router.registerUnaryWithMetadata(Methods.Predict.self) { (r: Mlops_Serving_V1_PredictRequest, metadata, _) in
      try await self.predict(r, metadata: metadata)
    }
  }

  private func registerDeploymentMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.CreateDeployment.self) { (r: Mlops_Serving_V1_CreateDeploymentRequest, _) in
      let created = try await engine.create(try DeploymentDefinition(r.deployment))
      return Mlops_Serving_V1_DeploymentResponse.with { $0.deployment = .init(created) }
    }
    router.registerUnary(Methods.UpdateDeployment.self) { (r: Mlops_Serving_V1_UpdateDeploymentRequest, _) in
      let updated = try await engine.update(try DeploymentDefinition(r.deployment), expectedGeneration: r.expectedGeneration)
      return Mlops_Serving_V1_DeploymentResponse.with { $0.deployment = .init(updated) }
    }
    router.registerUnary(Methods.GetDeployment.self) { (r: Mlops_Serving_V1_GetDeploymentRequest, _) in
      let found = try await engine.deployment(r.name)
      return Mlops_Serving_V1_DeploymentResponse.with { $0.deployment = .init(found) }
    }
    router.registerUnary(Methods.ListDeployments.self) { (r: Mlops_Serving_V1_ListDeploymentsRequest, _) in
      let (page, next) = try await engine.deployments(pageSize: Int(r.page.pageSize), pageToken: r.page.pageToken)
      return Mlops_Serving_V1_ListDeploymentsResponse.with {
        $0.deployments = page.map(Mlops_Serving_V1_Deployment.init)
        $0.nextPageToken = next
      }
    }
    router.registerUnary(Methods.DeleteDeployment.self) { (r: Mlops_Serving_V1_DeleteDeploymentRequest, _) in
      try await engine.delete(r.name)
      return Mlops_Serving_V1_DeleteDeploymentResponse()
    }
  }

  /// Most instances one Predict call may carry.
  public static let maxInstances = 100_000

  private func predict(_ r: Mlops_Serving_V1_PredictRequest, metadata: Metadata) async throws -> Mlops_Serving_V1_PredictResponse {
    guard !r.deployment.isEmpty else { throw ServingError.invalidArgument(field: "deployment", reason: "must name a deployment") }
    guard r.instances.count <= Self.maxInstances else {
      throw ServingError.invalidArgument(field: "instances", reason: "has \(r.instances.count); at most \(Self.maxInstances) per call")
    }
    guard r.requestID.utf8.count <= 256 else { throw ServingError.invalidArgument(field: "request_id", reason: "is longer than 256 bytes") }
    let rows = try r.instances.enumerated().map { index, instance in
      try instance.features.reduce(into: [String: Cell]()) { row, entry in
        row[entry.key] = try Cell(entry.value, field: "instances[\(index)].features[\(entry.key)]")
      }
    }
    let entities = try r.instances.enumerated().map { index, instance in
      try instance.entityKey.reduce(into: [String: Cell]()) { row, entry in
        row[entry.key] = try Cell(entry.value, field: "instances[\(index)].entity_key[\(entry.key)]")
      }
    }
    let requestID = r.requestID.isEmpty ? UUID().uuidString.lowercased() : r.requestID
    let prediction = try await engine.predict(
      deployment: r.deployment, rows: rows, entities: entities, routingKey: r.routingKey,
      header: { metadata[stringValues: $0].first(where: { _ in true }) }, requestID: requestID)
    return Mlops_Serving_V1_PredictResponse.with {
      $0.outputs = prediction.rows.map { row in .with { $0.values = row.mapValues(Mlops_Common_V1_Value.init) } }
      $0.variant = prediction.variant
      $0.modelName = prediction.model.name
      $0.modelVersion = prediction.model.version
      $0.requestID = requestID
      $0.cached = prediction.cached
    }
  }
}
