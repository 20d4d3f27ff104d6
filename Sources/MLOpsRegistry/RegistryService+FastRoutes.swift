import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto

/// GetModelVersionByAlias as a fast route (issue #27): the router and every client that
/// resolves `name@alias` ask it on each deployment change, so it skips GRPCCore's per-call
/// machinery — decoded and checked on the event loop, looked up in a task of its own (the
/// storage read is the same as the ordinary path's, so replicas sharing PostgreSQL see each
/// other's alias moves at once), answered from there.
extension RegistryService {
  /// The registry's fast routes, for the nghttp2 transport.
  public func fastRoutes(logger: Logger) -> [FastUnaryRoute] {
    let engine = self.engine
    return [
      .typed(Methods.GetModelVersionByAlias.descriptor, logger: logger) {
        (
          r: Mlops_Registry_V1_GetModelVersionByAliasRequest, _,
          responder: FastUnaryRoute.TypedResponder<Mlops_Registry_V1_ModelVersionResponse>
        )
        in
        Task {
          do {
            let version = try await engine.version(name: r.name, alias: r.alias)
            responder.answer(.with { $0.modelVersion = .init(version) })
          } catch {
            responder.fail(error)
          }
        }
        return (nil, later: true)
      }
    ]
  }
}
