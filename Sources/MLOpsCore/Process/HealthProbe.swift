import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsProto
import Synchronization

/// Asks a process for its `grpc.health.v1` status over a fresh connection: what `mlops up`
/// waits on, what `mlops status` prints, and what the gateway reports for its peers.
public enum HealthProbe {
  /// How long past its timeout a probe over a fresh connection may take before it is given up.
  static let giveUpAfter = Duration.seconds(10)

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

  /// Checks the whole process ("" service) within `timeout`, over a fresh connection. Returns
  /// by ``giveUpAfter`` past `timeout` whatever the connection does: a probe whose client never
  /// finished closing once held `mlops up` forever, so a late probe is left behind, not
  /// awaited. The margin is wide so that a slow but working probe on a loaded machine is
  /// never cut short.
  public static func check(host: String, port: Int, timeout: Duration = .seconds(2)) async -> Outcome {
    await withCheckedContinuation { continuation in
      let answer = FirstAnswer(continuation)
      let timer = Task {
        guard (try? await Task.sleep(for: timeout + giveUpAfter)) != nil else { return }
        answer.give(.unreachable("no answer within \(timeout + giveUpAfter)"))
      }
      Task {
        answer.give(await probe(host: host, port: port, timeout: timeout))
        timer.cancel()
      }
    }
  }

  private static func probe(host: String, port: Int, timeout: Duration) async -> Outcome {
    do {
      let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
      return try await withGRPCClient(transport: transport) { client in
        await check(client: client, timeout: timeout)
      }
    } catch {
      return .unreachable("\(error)")
    }
  }

  /// Checks the whole process over an existing client (the gateway's peer connections).
  public static func check<Transport: ClientTransport>(
    client: GRPCClient<Transport>, timeout: Duration
  ) async -> Outcome {
    var options = CallOptions.defaults
    options.timeout = timeout
    do {
      let response = try await Grpc_Health_V1_Health.Client(wrapping: client).check(.init(), options: options)
      return response.status == .serving ? .serving : .notServing
    } catch let error as RPCError {
      return .unreachable("\(error.code): \(error.message)")
    } catch {
      return .unreachable("\(error)")
    }
  }
}

/// Resumes a continuation with the first value given; later ones are dropped.
final class FirstAnswer<Value: Sendable>: Sendable {
  private let continuation: Mutex<CheckedContinuation<Value, Never>?>

  init(_ continuation: CheckedContinuation<Value, Never>) {
    self.continuation = Mutex(continuation)
  }

  func give(_ value: Value) {
    continuation.withLock { pending in
      defer { pending = nil }
      return pending
    }?.resume(returning: value)
  }
}
