import GRPCCore
import GRPCProtobuf
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Rollout calls. Only SINGLE and A/B deployments exist so far (a canary is refused at
/// creation), so every deployment is STABLE: the status says so, and Promote, Rollback, Pause
/// and Resume are FAILED_PRECONDITION, as they are for a stable deployment in Flagger.
extension InferenceRouterService {
  func registerRolloutMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.GetRolloutStatus.descriptor) { (r: Mlops_Serving_V1_GetRolloutStatusRequest, _) in
      let found = try await engine.deployment(r.deployment)
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = Self.stable(found) }
    }
    router.registerUnary(Methods.Promote.descriptor) { (r: Mlops_Serving_V1_PromoteRequest, _) -> Mlops_Serving_V1_RolloutStatusResponse in
      throw Self.noRollout(try await engine.deployment(r.deployment), action: "Promote")
    }
    router.registerUnary(Methods.Rollback.descriptor) { (r: Mlops_Serving_V1_RollbackRequest, _) -> Mlops_Serving_V1_RolloutStatusResponse in
      throw Self.noRollout(try await engine.deployment(r.deployment), action: "Rollback")
    }
    router.registerUnary(Methods.PauseRollout.descriptor) { (r: Mlops_Serving_V1_PauseRolloutRequest, _) -> Mlops_Serving_V1_RolloutStatusResponse in
      throw Self.noRollout(try await engine.deployment(r.deployment), action: "PauseRollout")
    }
    router.registerUnary(Methods.ResumeRollout.descriptor) { (r: Mlops_Serving_V1_ResumeRolloutRequest, _) -> Mlops_Serving_V1_RolloutStatusResponse in
      throw Self.noRollout(try await engine.deployment(r.deployment), action: "ResumeRollout")
    }
    router.registerHandler(
      forMethod: Methods.WatchRollout.descriptor,
      deserializer: ProtobufDeserializer<Mlops_Serving_V1_WatchRolloutRequest>(),
      serializer: ProtobufSerializer<Mlops_Serving_V1_RolloutStatusResponse>()
    ) { request, _ in
      let single = try await ServerRequest(stream: request)
      let status = Self.stable(try await engine.deployment(single.message.deployment))
      // No rollout is in progress, so the stream ends after the current status.
      return StreamingServerResponse { writer in
        try await writer.write(.with { $0.status = status })
        return [:]
      }
    }
  }

  static func stable(_ d: DeploymentDefinition) -> Mlops_Serving_V1_RolloutStatus {
    .with {
      $0.deployment = d.name
      $0.phase = .stable
      $0.step = -1
      $0.message = "no rollout in progress: \(d.strategy == .single ? "the primary serves all traffic" : "traffic is split by weight")"
      $0.updatedTime = Google_Protobuf_Timestamp(milliseconds: d.updatedTime)
    }
  }

  static func noRollout(_ d: DeploymentDefinition, action: String) -> ServingError {
    .failedPrecondition(field: "deployment", reason: "deployment '\(d.name)' has no rollout in progress, so there is nothing to \(action)")
  }
}
