import GRPCCore
import Prometheus
import Synchronization

/// Per-RPC Prometheus metrics: started and handled counts (handled labelled by status code, so
/// errors are counted by code) and a latency histogram. Handles for the OK path are created
/// once per method and cached, so the hot path costs two atomic increments and one histogram
/// record.
public final class RPCMetrics: Sendable {
  /// The registry `/metrics` renders; services add their domain gauges to it.
  public let registry: PrometheusCollectorRegistry
  private let cache = Mutex<[String: MethodMetrics]>([:])

  /// Latency buckets from 50 µs to 10 s: the platform's latency goals live below 1 ms.
  public static let latencyBuckets: [Duration] = [
    .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
    .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
    .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
    .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
  ]

  public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
    self.registry = registry
  }

  /// Cached handles for one method.
  struct MethodMetrics: Sendable {
    let service: String
    let method: String
    let started: Counter
    let handledOK: Counter
    let latency: DurationHistogram
  }

  func metrics(for descriptor: MethodDescriptor) -> MethodMetrics {
    let key = descriptor.fullyQualifiedMethod
    if let cached = cache.withLock({ $0[key] }) { return cached }
    let service = descriptor.service.fullyQualifiedService
    let labels = [("grpc_service", service), ("grpc_method", descriptor.method)]
    let made = MethodMetrics(
      service: service,
      method: descriptor.method,
      started: registry.makeCounter(
        name: "grpc_server_started_total", labels: labels, help: "RPCs started on the server."),
      handledOK: registry.makeCounter(
        name: "grpc_server_handled_total", labels: labels + [("grpc_code", "OK")],
        help: "RPCs completed on the server, by status code."),
      latency: registry.makeDurationHistogram(
        name: "grpc_server_handling_seconds", labels: labels, buckets: Self.latencyBuckets,
        help: "Time from the start of an RPC to its end, in seconds.")
    )
    return cache.withLock { cache in
      if let existing = cache[key] { return existing }
      cache[key] = made
      return made
    }
  }

  /// Records a finished call. Errors are rare, so their counters are looked up per call.
  func record(_ metrics: MethodMetrics, code: RPCError.Code?, elapsed: Duration) {
    metrics.latency.record(elapsed)
    guard let code else {
      metrics.handledOK.increment()
      return
    }
    registry.makeCounter(
      name: "grpc_server_handled_total",
      labels: [
        ("grpc_service", metrics.service), ("grpc_method", metrics.method),
        ("grpc_code", Self.codeName(code)),
      ],
      help: "RPCs completed on the server, by status code."
    ).increment()
  }

  /// The canonical gRPC code names (as grpc-go and go-grpc-prometheus print them).
  public static func codeName(_ code: RPCError.Code) -> String {
    switch code {
    case .cancelled: "Canceled"
    case .unknown: "Unknown"
    case .invalidArgument: "InvalidArgument"
    case .deadlineExceeded: "DeadlineExceeded"
    case .notFound: "NotFound"
    case .alreadyExists: "AlreadyExists"
    case .permissionDenied: "PermissionDenied"
    case .resourceExhausted: "ResourceExhausted"
    case .failedPrecondition: "FailedPrecondition"
    case .aborted: "Aborted"
    case .outOfRange: "OutOfRange"
    case .unimplemented: "Unimplemented"
    case .internalError: "Internal"
    case .unavailable: "Unavailable"
    case .dataLoss: "DataLoss"
    case .unauthenticated: "Unauthenticated"
    default: "Unknown"
    }
  }
}
