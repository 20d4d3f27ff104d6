import GRPCCore
import Logging
import MLOpsCore
import MLOpsProto
import SwiftProtobuf

/// `mlops.features.v1.FeatureStoreService` on the wire: converts protobuf ⇄ domain and calls
/// the engine.
public struct FeatureStoreService: RegistrableRPCService {
  typealias Methods = Mlops_Features_V1_FeatureStoreService.Method
  let engine: FeatureEngine

  public init(engine: FeatureEngine) {
    self.engine = engine
  }

  public func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    registerDefinitionMethods(with: &router)
    registerPushMethods(with: &router)
    registerReadMethods(with: &router)
    registerMaterializeMethods(with: &router)
  }

  func registerDefinitionMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.ApplyEntity.self) { (r: Mlops_Features_V1_ApplyEntityRequest, _) in
      let entity = try await engine.apply(try EntityDefinition(r.entity))
      return Mlops_Features_V1_ApplyEntityResponse.with { $0.entity = entity.proto }
    }
    router.registerUnary(Methods.ApplyFeatureView.self) { (r: Mlops_Features_V1_ApplyFeatureViewRequest, _) in
      let (view, changed) = try await engine.apply(try FeatureViewDefinition(r.featureView), force: r.force)
      return Mlops_Features_V1_ApplyFeatureViewResponse.with {
        $0.featureView = view.proto
        $0.changed = changed
      }
    }
    router.registerUnary(Methods.ApplyFeatureService.self) { (r: Mlops_Features_V1_ApplyFeatureServiceRequest, _) in
      let service = try await engine.apply(try FeatureServiceDefinition(r.featureService))
      return Mlops_Features_V1_ApplyFeatureServiceResponse.with { $0.featureService = service.proto }
    }
    router.registerUnary(Methods.GetFeatureView.self) { (r: Mlops_Features_V1_GetFeatureViewRequest, _) in
      let view = try await engine.featureView(r.name)
      return Mlops_Features_V1_GetFeatureViewResponse.with { $0.featureView = view.proto }
    }
    router.registerUnary(Methods.ListFeatureViews.self) { (r: Mlops_Features_V1_ListFeatureViewsRequest, _) in
      guard r.page.pageSize >= 0 else { throw FeatureStoreError.invalidArgument(field: "page.page_size", reason: "must not be negative") }
      let limit = r.page.pageSize == 0 ? 100 : Int(min(r.page.pageSize, 1000))
      let views = try await engine.featureViews(tags: r.tags, after: r.page.pageToken, limit: limit + 1)
      return Mlops_Features_V1_ListFeatureViewsResponse.with {
        $0.featureViews = views.prefix(limit).map(\.proto)
        $0.nextPageToken = views.count > limit ? views[limit - 1].name : ""
      }
    }
    router.registerUnary(Methods.DeleteFeatureView.self) { (r: Mlops_Features_V1_DeleteFeatureViewRequest, _) in
      try await engine.deleteFeatureView(r.name)
      return Mlops_Features_V1_DeleteFeatureViewResponse()
    }
  }

  func registerPushMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.Push.self) { (r: Mlops_Features_V1_PushRequest, _) in
      Mlops_Features_V1_PushResponse(try await Self.push(r, engine: engine))
    }
    router.registerClientStreaming(Methods.PushStream.self) {
      (messages: RPCAsyncSequence<Mlops_Features_V1_PushRequest, any Error>, _, _) in
      Mlops_Features_V1_PushResponse(try await Self.pushStream(messages, engine: engine))
    }
  }

  static func push(_ r: Mlops_Features_V1_PushRequest, engine: FeatureEngine) async throws -> PushOutcome {
    try await engine.commit(try await prepare(r, engine: engine))
  }

  static func prepare(_ r: Mlops_Features_V1_PushRequest, engine: FeatureEngine) async throws -> PreparedPush {
    guard let target = PushTarget(rawValue: r.to.rawValue) else {
      throw FeatureStoreError.invalidArgument(field: "to", reason: "is not a value this server knows")
    }
    let columns = r.hasColumns ? try ColumnBatch(r.columns) : nil
    let rows = try r.rows.enumerated().map { try IncomingRow($1, field: "rows[\($0)]") }
    return try await engine.prepare(view: r.featureView, rows, columns: columns, to: target)
  }

  /// Each message is committed in order while the next one is validated and encoded
  /// (``PipelinedIngest``). A bad message ends the call once the messages before it are
  /// written; its error names it (`message[i].`).
  static func pushStream(_ messages: RPCAsyncSequence<Mlops_Features_V1_PushRequest, any Error>, engine: FeatureEngine) async throws
    -> PushOutcome
  {
    try await PipelinedIngest.run(
      messages, initial: PushOutcome(),
      prepare: { message, index in
        do { return try await prepare(message, engine: engine) } catch let error as FeatureStoreError {
          throw error.within("message[\(index)].")
        }
      },
      commit: { try await engine.commit($0) }, combine: +)
  }

  func registerReadMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.GetOnlineFeatures.self) { (r: Mlops_Features_V1_GetOnlineFeaturesRequest, _) in
      let references = try await engine.references(features: r.features, service: r.featureService)
      return try Self.online(r, references: references, engine: engine)
    }
    router.registerServerStreaming(Methods.GetHistoricalFeatures.self) {
      (r: Mlops_Features_V1_GetHistoricalFeaturesRequest, writer: RPCWriter<Mlops_Features_V1_GetHistoricalFeaturesResponse>, _) in
      try await Self.historical(r, engine: engine, writer: writer)
    }
  }

  /// GetOnlineFeatures as a fast route (issue #27): the catalog and the online rows are in
  /// memory, so a call whose views are loaded is answered on the event loop; one naming a view
  /// this replica has not loaded yet takes the ordinary path, which refreshes first.
  public func fastRoutes(logger: Logger) -> [FastUnaryRoute] {
    let engine = self.engine
    return [
      .typed(Methods.GetOnlineFeatures.descriptor, logger: logger) {
        (r: Mlops_Features_V1_GetOnlineFeaturesRequest, _) -> Mlops_Features_V1_GetOnlineFeaturesResponse? in
        guard let references = try engine.loadedReferences(features: r.features, service: r.featureService) else { return nil }
        return try Self.online(r, references: references, engine: engine)
      }
    ]
  }

  static func online(
    _ r: Mlops_Features_V1_GetOnlineFeaturesRequest, references: [FeatureReference], engine: FeatureEngine
  ) throws -> Mlops_Features_V1_GetOnlineFeaturesResponse {
    let rows = try engine.onlineFeatures(references, rows: r.entityRows.map { FeatureData.map($0.values) })
    return Mlops_Features_V1_GetOnlineFeaturesResponse.with {
      $0.featureNames = references.map(\.description)
      $0.results = rows.map { row in .with { $0.values = row.map(Mlops_Features_V1_FeatureValue.init) } }
    }
  }

  func registerMaterializeMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    let engine = self.engine
    router.registerUnary(Methods.Materialize.self) { (r: Mlops_Features_V1_MaterializeRequest, _) in
      let start = r.hasStartTime ? try Self.time(r.startTime, field: "start_time") : Int64.min
      let end = try Self.time(r.hasEndTime ? r.endTime : nil, field: "end_time")
      return Mlops_Features_V1_MaterializeResponse(try await engine.materialize(views: r.featureViews, start: start, end: end))
    }
    router.registerUnary(Methods.MaterializeIncremental.self) { (r: Mlops_Features_V1_MaterializeIncrementalRequest, _) in
      let end = try Self.time(r.hasEndTime ? r.endTime : nil, field: "end_time")
      return Mlops_Features_V1_MaterializeResponse(try await engine.materializeIncremental(views: r.featureViews, end: end))
    }
    router.registerUnary(Methods.CheckConsistency.self) { (r: Mlops_Features_V1_CheckConsistencyRequest, _) in
      let (checked, mismatches) = try await engine.checkConsistency(views: r.featureViews, sampleSize: Int(r.sampleSize))
      return Mlops_Features_V1_CheckConsistencyResponse.with {
        $0.valuesChecked = Int64(checked)
        $0.mismatches = mismatches.map { m in
          .with {
            $0.featureView = m.view
            $0.entityKey = m.entityKey.mapValues(Mlops_Common_V1_Value.init)
            $0.feature = m.feature
            $0.online = .init(m.online)
            $0.offline = .init(m.offline)
          }
        }
      }
    }
  }
}

extension FeatureStoreService {
  /// A required time in epoch microseconds.
  /// - Throws: INVALID_ARGUMENT naming `field` when it is missing or outside protobuf's range.
  static func time(_ t: Google_Protobuf_Timestamp?, field: String) throws -> Int64 {
    guard let t else { throw FeatureStoreError.invalidArgument(field: field, reason: "is required") }
    return try t.microseconds { FeatureStoreError.invalidArgument(field: field, reason: $0) }
  }
}

extension Mlops_Features_V1_PushResponse {
  init(_ outcome: PushOutcome) {
    self.init()
    rowsWritten = Int64(outcome.rowsWritten)
    rowsSuperseded = Int64(outcome.rowsSuperseded)
  }
}

extension Mlops_Features_V1_MaterializeResponse {
  init(_ outcomes: [MaterializeOutcome]) {
    self.init()
    results = outcomes.map { o in
      .with {
        $0.featureView = o.view
        $0.rowsWritten = Int64(o.rowsWritten)
        $0.watermark = .init(microseconds: o.watermark)
      }
    }
  }
}
