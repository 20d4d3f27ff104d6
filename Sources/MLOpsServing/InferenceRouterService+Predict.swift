import Foundation
import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto

/// Predict: rows of named values (and entity keys to enrich) in, the chosen variant's rows out.
extension InferenceRouterService {
  /// Most instances one Predict call may carry.
  public static let maxInstances = 100_000

  /// A Predict request in the engine's terms.
  struct PredictCall {
    var rows: [[String: Cell]]
    var entities: [[String: Cell]]
    var requestID: String

    /// Checks and converts `r`; INVALID_ARGUMENT names the field.
    init(_ r: Mlops_Serving_V1_PredictRequest) throws {
      guard !r.deployment.isEmpty else { throw ServingError.invalidArgument(field: "deployment", reason: "must name a deployment") }
      guard r.instances.count <= InferenceRouterService.maxInstances else {
        throw ServingError.invalidArgument(
          field: "instances", reason: "has \(r.instances.count); at most \(InferenceRouterService.maxInstances) per call")
      }
      guard r.requestID.utf8.count <= 256 else {
        throw ServingError.invalidArgument(field: "request_id", reason: "is longer than 256 bytes")
      }
      rows = try r.instances.enumerated().map { index, instance in
        try instance.features.reduce(into: [String: Cell]()) { row, entry in
          row[entry.key] = try Cell(entry.value, field: "instances[\(index)].features[\(entry.key)]")
        }
      }
      entities = try r.instances.enumerated().map { index, instance in
        try instance.entityKey.reduce(into: [String: Cell]()) { row, entry in
          row[entry.key] = try Cell(entry.value, field: "instances[\(index)].entity_key[\(entry.key)]")
        }
      }
      requestID = r.requestID.isEmpty ? RequestID.make() : r.requestID
    }

    /// The answer to the call.
    func response(_ prediction: RouterEngine.Prediction) -> Mlops_Serving_V1_PredictResponse {
      Mlops_Serving_V1_PredictResponse.with {
        $0.outputs = prediction.rows.map { row in .with { $0.values = row.mapValues(Mlops_Common_V1_Value.init) } }
        $0.variant = prediction.variant
        $0.modelName = prediction.model.name
        $0.modelVersion = prediction.model.version
        $0.requestID = requestID
        $0.cached = prediction.cached
      }
    }
  }

  func predict(_ r: Mlops_Serving_V1_PredictRequest, metadata: Metadata) async throws -> Mlops_Serving_V1_PredictResponse {
    let call = try PredictCall(r)
    return call.response(
      try await engine.predict(
        deployment: r.deployment, rows: call.rows, entities: call.entities, routingKey: r.routingKey,
        header: { metadata[stringValues: $0].first(where: { _ in true }) }, requestID: call.requestID))
  }

  /// Predict as a fast route (issue #27): a loaded deployment whose chosen variant runs in this
  /// process, quickly, is answered on the event loop — at once, or, for rows to enrich, when
  /// the feature-server answers the lookup sent on that loop's connection. Any other call
  /// takes the ordinary path.
  public func fastRoutes(logger: Logger) -> [FastUnaryRoute] {
    let engine = self.engine
    return [
      .typed(Methods.Predict.descriptor, logger: logger) {
        (r: Mlops_Serving_V1_PredictRequest, metadata, responder: FastUnaryRoute.TypedResponder<Mlops_Serving_V1_PredictResponse>) in
        let call = try PredictCall(r)
        let header = { (name: String) in metadata[stringValues: name].first(where: { _ in true }) }
        guard call.entities.allSatisfy(\.isEmpty) else {
          let sent = try engine.predictInline(
            deployment: r.deployment, rows: call.rows, entities: call.entities, routingKey: r.routingKey, header: header,
            requestID: call.requestID, on: responder.eventLoop
          ) { result in
            switch result {
            case .success(let prediction): responder.answer(call.response(prediction))
            case .failure(let error): responder.fail(error)
            }
          }
          return (nil, later: sent)
        }
        let prediction = try engine.predictInline(
          deployment: r.deployment, rows: call.rows, entities: call.entities, routingKey: r.routingKey, header: header,
          requestID: call.requestID)
        return (prediction.map(call.response), later: false)
      }
    ]
  }
}
