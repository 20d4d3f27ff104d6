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
}
