import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto

/// Asks a process for its `grpc.health.v1` status over a fresh connection: what `mlops up`
/// waits on, what `mlops status` prints, and what the gateway reports for its peers.
public enum HealthProbe {
  /// The outcome of one probe.
  public enum Outcome: Sendable, Equatable, CustomStringConvertible {
    case serving
    case notServing
    case unreachable(String)

    public var description: String {
      switch self {
      case .serving: "SERVING"
      case .notServing: "NOT_SERVING"
      case .unreachable: "UNREACHABLE"
      }
    }
  }

  /// Checks the whole process ("" service) within `timeout`.
  public static func check(host: String, port: Int, timeout: Duration = .seconds(2)) async -> Outcome {
    do {
      let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
      return try await withGRPCClient(transport: transport) { client in
        let health = Grpc_Health_V1_Health.Client(wrapping: client)
        var options = CallOptions.defaults
        options.timeout = timeout
        let response = try await health.check(.init(), options: options)
        return response.status == .serving ? .serving : .notServing
      }
    } catch let error as RPCError {
      return .unreachable("\(error.code): \(error.message)")
    } catch {
      return .unreachable("\(error)")
    }
  }

  /// Probes until SERVING or until `deadline` passes; returns the last outcome.
  public static func waitUntilServing(
    host: String, port: Int, deadline: ContinuousClock.Instant,
    interval: Duration = .milliseconds(100)
  ) async -> Outcome {
    var outcome = await check(host: host, port: port)
    while outcome != .serving, ContinuousClock.now < deadline {
      try? await Task.sleep(for: interval)
      outcome = await check(host: host, port: port)
    }
    return outcome
  }
}
