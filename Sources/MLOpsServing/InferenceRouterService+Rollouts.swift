import GRPCCore
import GRPCProtobuf
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// Rollout calls: status, the four actions, and WatchRollout (the status now and on every
/// change, until the rollout ends).
extension InferenceRouterService {
  func registerRolloutMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.GetRolloutStatus.self) { (r: Mlops_Serving_V1_GetRolloutStatusRequest, _) in
      let status = try await engine.rolloutStatus(try Self.named(r.deployment))
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = .init(status) }
    }
    router.registerUnary(Methods.Promote.self) { (r: Mlops_Serving_V1_PromoteRequest, _) in
      let status = try await engine.promote(try Self.named(r.deployment), comment: String(r.comment.prefix(1024)))
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = .init(status) }
    }
    router.registerUnary(Methods.Rollback.self) { (r: Mlops_Serving_V1_RollbackRequest, _) in
      let status = try await engine.rollback(try Self.named(r.deployment), reason: String(r.reason.prefix(1024)))
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = .init(status) }
    }
    router.registerUnary(Methods.PauseRollout.self) { (r: Mlops_Serving_V1_PauseRolloutRequest, _) in
      let status = try await engine.pause(try Self.named(r.deployment))
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = .init(status) }
    }
    router.registerUnary(Methods.ResumeRollout.self) { (r: Mlops_Serving_V1_ResumeRolloutRequest, _) in
      let status = try await engine.resume(try Self.named(r.deployment))
      return Mlops_Serving_V1_RolloutStatusResponse.with { $0.status = .init(status) }
    }
    router.registerHandler(
      forMethod: Methods.WatchRollout.descriptor,
      deserializer: ProtobufDeserializer<Mlops_Serving_V1_WatchRolloutRequest>(),
      serializer: ProtobufSerializer<Mlops_Serving_V1_RolloutStatusResponse>()
    ) { request, _ in
      let single = try await ServerRequest(stream: request)
      let states = try await engine.watchRollout(try Self.named(single.message.deployment))
      return StreamingServerResponse { writer in
        for await state in states { try await writer.write(.with { $0.status = .init(state) }) }
        return [:]
      }
    }
  }

  /// The deployment a rollout call names.
  static func named(_ deployment: String) throws -> String {
    guard !deployment.isEmpty else { throw ServingError.invalidArgument(field: "deployment", reason: "must name a deployment") }
    return deployment
  }
}
