import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MLOpsCore
import MLOpsProto
import MLOpsRuntime
import Synchronization

/// One connection per remote Open Inference Protocol backend (`host:port`), opened on first use
/// and kept for the life of the process: MLServer, Triton, KServe or another router.
public final class RemoteBackends: Sendable {
  private let clients = Mutex<[String: GRPCClient<HTTP2ClientTransport.Posix>]>([:])

  public init() {}

  func client(for endpoint: String, field: String) throws -> GRPCClient<HTTP2ClientTransport.Posix> {
    if let existing = clients.withLock({ $0[endpoint] }) { return existing }
    guard let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(port),
      colon > endpoint.startIndex
    else { throw ServingError.invalidArgument(field: field, reason: "'\(endpoint)' is not host:port") }
    let host = String(endpoint[..<colon])
    var config = HTTP2ClientTransport.Posix.Config.defaults
    config.backoff = .init(initial: .milliseconds(100), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
    let transport = try HTTP2ClientTransport.Posix(target: .dns(host: host, port: port), transportSecurity: .plaintext, config: config)
    let client = GRPCClient(transport: transport)
    return clients.withLock { all in
      if let existing = all[endpoint] { return existing }
      all[endpoint] = client
      Task.detached { try? await client.runConnections() }
      return client
    }
  }
}

/// A variant served by a remote Open Inference Protocol backend: its tensors are described by
/// the backend's ModelMetadata (read when the deployment is loaded) and each prediction is one
/// ModelInfer with raw contents.
public struct RemotePredictor: Predictor {
  public let inputs: [ValueSpec]
  public let outputs: [ValueSpec]
  let endpoint: String
  let modelName: String
  let version: String
  let client: GRPCClient<HTTP2ClientTransport.Posix>
  let timeout: Duration

  /// Never: each prediction is a call to the backend.
  public var local: Model? { nil }

  /// Asks the backend what `modelName` takes and answers.
  /// - Throws: UNAVAILABLE naming the endpoint when it does not answer, FAILED_PRECONDITION
  ///   naming `field` when it does not serve the model.
  public static func load(
    endpoint: String, modelName: String, version: Int64?, backends: RemoteBackends, field: String, timeout: Duration = .seconds(10)
  ) async throws -> RemotePredictor {
    let client = try backends.client(for: endpoint, field: "\(field).remote_endpoint")
    var options = CallOptions.defaults
    options.timeout = timeout
    let metadata: Inference_ModelMetadataResponse
    do {
      metadata = try await Inference_GRPCInferenceService.Client(wrapping: client).modelMetadata(
        .with {
          $0.name = modelName
          $0.version = version.map(String.init) ?? ""
        }, options: options)
    } catch let error as RPCError {
      throw relayed(error, endpoint: endpoint, field: field)
    }
    func spec(_ t: Inference_ModelMetadataResponse.TensorMetadata) -> ValueSpec {
      ValueSpec(name: t.name, kind: .tensor(elementType(t.datatype), shape: t.shape.map { $0 < 0 ? nil : Int($0) }))
    }
    return RemotePredictor(
      inputs: metadata.inputs.map(spec), outputs: metadata.outputs.map(spec), endpoint: endpoint, modelName: modelName,
      version: version.map(String.init) ?? "", client: client, timeout: timeout)
  }

  public func predict(_ feeds: [String: Tensor]) async throws -> [String: Value] {
    let names = inputs.map(\.name).filter { feeds[$0] != nil }
    let request = Inference_ModelInferRequest.with { request in
      request.modelName = modelName
      request.modelVersion = version
      for name in names {
        let (datatype, shape, raw) = InferTensorCoding.encode(.tensor(feeds[name]!))
        request.inputs.append(
          .with {
            $0.name = name
            $0.datatype = datatype
            $0.shape = shape
          })
        request.rawInputContents.append(raw)
      }
    }
    var options = CallOptions.defaults
    options.timeout = timeout
    let response: Inference_ModelInferResponse
    do {
      response = try await Inference_GRPCInferenceService.Client(wrapping: client).modelInfer(request, options: options)
    } catch let error as RPCError {
      throw Self.relayed(error, endpoint: endpoint, field: "inputs")
    }
    var outputs: [String: Value] = [:]
    for (index, tensor) in response.outputs.enumerated() {
      let raw = index < response.rawOutputContents.count ? response.rawOutputContents[index] : nil
      let decoded = try InferTensorCoding.tensor(
        .with {
          $0.name = tensor.name
          $0.datatype = tensor.datatype
          $0.shape = tensor.shape
          $0.contents = tensor.contents
        },
        raw: raw, expected: Self.elementType(tensor.datatype), field: "the backend's outputs[\(index)]")
      outputs[tensor.name] = .tensor(decoded)
    }
    return outputs
  }

  /// The runtime's element type for an Open Inference Protocol datatype (narrower integers widen).
  static func elementType(_ datatype: String) -> ElementType {
    switch datatype {
    case "FP64": .double
    case "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64": .int64
    case "BOOL": .bool
    case "BYTES": .string
    default: .float
    }
  }

  /// The backend's refusal in the router's terms: the caller's input is INVALID_ARGUMENT, an
  /// unknown model FAILED_PRECONDITION, anything else UNAVAILABLE naming the endpoint.
  static func relayed(_ error: RPCError, endpoint: String, field: String) -> ServingError {
    switch error.code {
    case .invalidArgument: .invalidArgument(field: field, reason: "the backend at \(endpoint) refused it: \(error.message)")
    case .notFound, .failedPrecondition, .unimplemented:
      .failedPrecondition(field: field, reason: "the backend at \(endpoint) says: \(error.message)")
    default: .unavailable("\(field): the backend at \(endpoint) is unavailable: \(error.message)")
    }
  }
}
