import Foundation
import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto
import MLOpsRuntime

/// ModelInfer: tensors in, routed like Predict, tensors out as raw little-endian contents.
extension OpenInferenceService {
  func infer(_ r: Inference_ModelInferRequest, metadata: Metadata) async throws -> Inference_ModelInferResponse {
    let requestID = try Self.checked(r)
    let inference = try await engine.infer(
      deployment: r.modelName, parameters: Self.routingParameters(r.parameters),
      header: { metadata[stringValues: $0].first(where: { _ in true }) }, requestID: requestID
    ) { model in
      try Self.feeds(r, model: model)
    }
    return try Self.response(r, inference)
  }

  /// ModelInfer as a fast route (issue #27): a loaded deployment whose chosen variant runs in
  /// this process, quickly, is answered on the event loop; any other call takes the ordinary path.
  public func fastRoutes(logger: Logger) -> [FastUnaryRoute] {
    let engine = self.engine
    return [
      .typed(Methods.ModelInfer.descriptor, logger: logger) {
        (r: Inference_ModelInferRequest, metadata) -> Inference_ModelInferResponse? in
        let requestID = try Self.checked(r)
        let inference = try engine.inferInline(
          deployment: r.modelName, parameters: Self.routingParameters(r.parameters),
          header: { metadata[stringValues: $0].first(where: { _ in true }) }, requestID: requestID
        ) { model in
          try Self.feeds(r, model: model)
        }
        return try inference.map { try Self.response(r, $0) }
      }
    ]
  }

  /// The request's id (a new one when it has none) once its shape is checked.
  static func checked(_ r: Inference_ModelInferRequest) throws -> String {
    guard !r.modelName.isEmpty else { throw ServingError.invalidArgument(field: "model_name", reason: "must name a deployment") }
    guard !r.inputs.isEmpty else { throw ServingError.invalidArgument(field: "inputs", reason: "send at least one input tensor") }
    guard r.rawInputContents.isEmpty || r.rawInputContents.count == r.inputs.count else {
      throw ServingError.invalidArgument(
        field: "raw_input_contents", reason: "has \(r.rawInputContents.count) entries for \(r.inputs.count) inputs")
    }
    guard r.id.utf8.count <= 256 else { throw ServingError.invalidArgument(field: "id", reason: "is longer than 256 bytes") }
    return r.id.isEmpty ? RequestID.make() : r.id
  }

  /// The answer to `r`, checked against the version and outputs it asked for.
  static func response(_ r: Inference_ModelInferRequest, _ inference: RouterEngine.Inference) throws -> Inference_ModelInferResponse {
    let served = inference.variant
    guard r.modelVersion.isEmpty || r.modelVersion == String(served.resolved.version) else {
      throw ServingError.failedPrecondition(
        field: "model_version", reason: "deployment '\(r.modelName)' served version \(served.resolved.version), not \(r.modelVersion)")
    }
    let requested = r.outputs.map(\.name)
    if let unknown = requested.first(where: { name in !served.model.outputs.contains { $0.name == name } }) {
      throw ServingError.invalidArgument(field: "outputs", reason: "the model has no output '\(unknown)'")
    }
    var response = Self.response(r, served: served, outputs: inference.outputs, requested: requested)
    if inference.cached { response.parameters["cached"] = .with { $0.boolParam = true } }
    return response
  }

  /// The request parameters that can route it (`routing_key`, or the deployment's sticky
  /// field), spelled as strings whatever their type.
  static func routingParameters(_ parameters: [String: Inference_InferParameter]) -> [String: String] {
    parameters.compactMapValues { p in
      switch p.parameterChoice {
      case .stringParam(let v)?: v
      case .int64Param(let v)?: String(v)
      case .uint64Param(let v)?: String(v)
      case .boolParam(let v)?: String(v)
      default: nil
      }
    }
  }

  /// The request's tensors, typed as `model` declares its inputs.
  static func feeds(_ r: Inference_ModelInferRequest, model: any Predictor) throws -> [String: Tensor] {
    let expected = Dictionary(model.inputs.map { ($0.name, $0.elementType ?? .float) }, uniquingKeysWith: { a, _ in a })
    var feeds: [String: Tensor] = [:]
    for (index, input) in r.inputs.enumerated() {
      let field = "inputs[\(index)]"
      guard let type = expected[input.name] else {
        throw ServingError.invalidArgument(
          field: "\(field).name",
          reason: "the model has no input '\(input.name)' (it has \(model.inputs.map(\.name).joined(separator: ", ")))")
      }
      guard feeds[input.name] == nil else {
        throw ServingError.invalidArgument(field: "\(field).name", reason: "'\(input.name)' is sent twice")
      }
      let raw = r.rawInputContents.isEmpty ? nil : r.rawInputContents[index]
      feeds[input.name] = try InferTensorCoding.tensor(input, raw: raw, expected: type, field: field)
    }
    return feeds
  }

  static func response(
    _ r: Inference_ModelInferRequest, served: LiveDeployment.Variant, outputs: [String: Value], requested: [String]
  ) -> Inference_ModelInferResponse {
    .with { response in
      response.modelName = r.modelName
      response.modelVersion = String(served.resolved.version)
      response.id = r.id
      response.parameters["variant"] = .with { $0.stringParam = served.name }
      for spec in served.model.outputs where requested.isEmpty || requested.contains(spec.name) {
        guard let value = outputs[spec.name] else { continue }
        let (datatype, shape, raw) = InferTensorCoding.encode(value)
        response.outputs.append(
          .with {
            $0.name = spec.name
            $0.datatype = datatype
            $0.shape = shape
          })
        response.rawOutputContents.append(raw)
      }
    }
  }
}
