import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird
import Logging
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// MLflow's REST API (`/api/2.0/mlflow/...`) on the gateway's HTTP port (issue #28), so
/// `mlflow.set_tracking_uri("http://host:8000")` and MLflow code already written keep working.
/// Each endpoint reads MLflow's JSON, calls the tracker's (or registry's) gRPC method, and
/// writes MLflow's JSON back; the key check is the gRPC method's own (``CallAuthorizer``: role,
/// rate, identity, audit), with the API key sent as MLflow's bearer token
/// (`MLFLOW_TRACKING_TOKEN`).
public struct MLflowFront: HTTPRouteProvider {
  /// The prefix of every tracking and registry endpoint.
  static let prefix = "/api/2.0/mlflow"
  /// MLflow's name for the experiment runs go to when the caller names none (id "0").
  static let defaultExperiment = "Default"
  /// The largest request body read (a LogBatch of 1,000 metrics is ~100 KB).
  static let maxBody = 16 << 20

  let tracker: GRPCClient<HTTP2ClientTransport.Posix>
  let registry: GRPCClient<HTTP2ClientTransport.Posix>
  let authorizer: CallAuthorizer?
  /// The deployment policy, checked before an alias moves or a version goes to Production
  /// through MLflow's API exactly as through gRPC (nil: auth off, no policy).
  let gate: PolicyGate?
  let deadline: Duration
  let logger: Logger

  /// - Parameters:
  ///   - tracker: the gateway's client of the tracker.
  ///   - registry: the gateway's client of the registry.
  ///   - authorizer: the key check (nil: auth off).
  ///   - gate: the deployment policy (nil: none).
  ///   - deadline: the limit of each upstream call.
  public init(
    tracker: GRPCClient<HTTP2ClientTransport.Posix>, registry: GRPCClient<HTTP2ClientTransport.Posix>, authorizer: CallAuthorizer?,
    gate: PolicyGate? = nil, deadline: Duration = .seconds(60), logger: Logger
  ) {
    self.gate = gate
    self.tracker = tracker
    self.registry = registry
    self.authorizer = authorizer
    self.deadline = deadline
    self.logger = logger
  }

  public func addRoutes(to router: Router<BasicRequestContext>) {
    addExperimentRoutes(to: router)
    addRunRoutes(to: router)
    addArtifactRoutes(to: router)
    addModelRoutes(to: router)
    addVersionRoutes(to: router)
    addLoggedModelRoutes(to: router)
  }

  /// What an endpoint's body gets: the request's fields, the metadata for the upstream call
  /// (actor set, secret removed) and its call options.
  struct Call: Sendable {
    let params: MLflowParams
    let metadata: Metadata
    let options: CallOptions
  }

  /// Registers `path` (under ``prefix``) for `methods`, checked as the gRPC method `rpc`.
  func endpoint<Output: Encodable & Sendable>(
    _ router: Router<BasicRequestContext>, _ methods: [HTTPRequest.Method], _ path: String, rpc: MethodDescriptor,
    _ body: @escaping @Sendable (Call) async throws -> Output
  ) {
    for method in methods {
      router.on(RouterPath(Self.prefix + path), method: method) { request, _ in
        await respond(to: request, rpc: rpc, body)
      }
    }
  }

  private func respond<Output: Encodable & Sendable>(
    to request: Request, rpc: MethodDescriptor, _ body: @Sendable (Call) async throws -> Output
  ) async -> Response {
    await answering(request, rpc: rpc) { call in
      Self.json(try await body(call), status: .ok)
    } params: {
      try await Self.params(of: request)
    }
  }

  /// Checks the key for `rpc`, runs `body` and audits how it ended; any error becomes MLflow's
  /// JSON error. `params` reads the request's fields (an artifact upload reads none: its body
  /// is the file).
  func answering(
    _ request: Request, rpc: MethodDescriptor, _ body: @Sendable (Call) async throws -> Response,
    params: () async throws -> MLflowParams
  ) async -> Response {
    var admission: CallAuthorizer.Admission?
    do {
      admission = try authorizer?.admit(authorization: request.headers[.authorization], to: rpc)
      var options = CallOptions.defaults
      options.timeout = deadline
      let response = try await body(Call(params: try await params(), metadata: admission?.metadata ?? Metadata(), options: options))
      admission?.record("OK")
      return response
    } catch {
      let failure = Self.mlflowError(error)
      admission?.record(failure.errorCode)
      return Self.json(failure, status: failure.httpStatus)
    }
  }

  /// The request's fields: query parameters for GET, the JSON body otherwise (plus the query).
  static func params(of request: Request) async throws -> MLflowParams {
    if request.method == .get || request.method == .head {
      return MLflowParams(formEncoded: request.uri.query ?? "")
    }
    let body = try await request.body.collect(upTo: maxBody)
    return try MLflowParams(json: Array(buffer: body))
  }

  /// Any error as MLflow's: its own, a gRPC status, or a domain error with its status.
  static func mlflowError(_ error: any Error) -> MLflowError {
    switch error {
    case let error as MLflowError: return error
    case let error as RPCError: return MLflowError(error)
    case let error as any RPCErrorConvertible:
      return MLflowError(RPCError(code: error.rpcErrorCode, message: error.rpcErrorMessage))
    case let error as any HTTPResponseError where error.status == .contentTooLarge:
      return MLflowError("RESOURCE_EXHAUSTED", "the request body is larger than the limit of \(maxBody) bytes", status: 413)
    default: return MLflowError("INTERNAL_ERROR", "\(error)", status: 500)
    }
  }

  /// `value` as JSON with MLflow's conventions: snake_case keys, NaN and infinities as strings
  /// (as protobuf's JSON mapping writes them).
  static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let data = (try? encoder.encode(value)) ?? Data(#"{"error_code":"INTERNAL_ERROR","message":"cannot encode the answer"}"#.utf8)
    return Response(
      status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// Checks `request` against the deployment policy as the gateway's gRPC path does for
  /// `method`. - Throws: FAILED_PRECONDITION listing every violated rule.
  func checkPolicy(_ method: MethodDescriptor, _ request: some SwiftProtobuf.Message, _ call: Call) async throws {
    guard let gate else { return }
    try await gate.check(method, try request.serializedBytes(), metadata: call.metadata)
  }

  /// The registry's generated client.
  var registryClient: Mlops_Registry_V1_RegistryService.Client<HTTP2ClientTransport.Posix> {
    Mlops_Registry_V1_RegistryService.Client(wrapping: registry)
  }

  /// The tracker's generated client.
  var trackerClient: Mlops_Tracker_V1_TrackerService.Client<HTTP2ClientTransport.Posix> {
    Mlops_Tracker_V1_TrackerService.Client(wrapping: tracker)
  }
}

/// An endpoint's answer with no fields (`{}`).
struct MLflowEmpty: Encodable, Sendable {}
