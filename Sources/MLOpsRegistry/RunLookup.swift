import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto

/// What the registry keeps of a tracker run when a version is registered from it.
public struct RunSnapshot: Sendable, Equatable {
  public var metrics: [String: Double]
  public var params: [String: String]
  public var deleted: Bool

  public init(metrics: [String: Double], params: [String: String], deleted: Bool = false) {
    self.metrics = metrics
    self.params = params
    self.deleted = deleted
  }
}

/// How the registry asks the tracker about a run.
public protocol RunLookup: Sendable {
  /// The run's latest metrics and params; nil when the tracker has no such run.
  /// - Throws: `RegistryError.trackerUnavailable` when the tracker cannot answer.
  func run(id: String) async throws -> RunSnapshot?
}

/// RunLookup over gRPC: GetRun on the tracker named by `--tracker-address`.
public struct TrackerRunLookup: RunLookup {
  let peer: GRPCClientService
  let timeout: Duration

  public init(peer: GRPCClientService, timeout: Duration = .seconds(5)) {
    self.peer = peer
    self.timeout = timeout
  }

  public func run(id: String) async throws -> RunSnapshot? {
    let tracker = Mlops_Tracker_V1_TrackerService.Client(wrapping: peer.client)
    var options = CallOptions.defaults
    options.timeout = timeout
    do {
      let run = try await tracker.getRun(.with { $0.runID = id }, options: options).run
      return RunSnapshot(
        metrics: Dictionary(run.data.metrics.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
        params: Dictionary(run.data.params.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }),
        deleted: run.info.lifecycleStage == .deleted)
    } catch let error as RPCError where error.code == .notFound {
      return nil
    } catch let error as RPCError where error.code == .invalidArgument {
      // The tracker answered: the id itself is wrong (too long, say), not the tracker down.
      throw RegistryError.invalidArgument(field: "run_id", reason: "the tracker refused it: \(error.message)")
    } catch let error as RPCError {
      throw RegistryError.trackerUnavailable("\(peer.peer): \(error.code): \(error.message)")
    }
  }
}
