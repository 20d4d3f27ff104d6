import Foundation

/// What materializing one view did.
public struct MaterializeOutcome: Sendable, Equatable {
  public var view: String
  /// Online rows that changed; a repeated run writes 0.
  public var rowsWritten: Int
  /// Epoch microseconds materialized up to.
  public var watermark: Int64
}

/// Materialize, MaterializeIncremental.
extension FeatureEngine {
  /// Copies, per entity, the latest offline row with event time in [start, end) online, where
  /// it is newer than what is there; then advances each view's watermark to at least `end`.
  public func materialize(views names: [String], start: Int64, end: Int64) async throws -> [MaterializeOutcome] {
    guard start < end else { throw FeatureStoreError.invalidArgument(field: "end_time", reason: "must be after start_time") }
    var outcomes: [MaterializeOutcome] = []
    for view in try await onlineViews(names) {
      outcomes.append(try await materialize(view, from: start, to: end))
    }
    return outcomes
  }

  /// Materializes each view from its watermark (the beginning of time for a view never
  /// materialized) to `end`. Interrupted, it is rerun: the watermark moves only on success
  /// and rows already online are not written again.
  public func materializeIncremental(views names: [String], end: Int64) async throws -> [MaterializeOutcome] {
    var outcomes: [MaterializeOutcome] = []
    for view in try await onlineViews(names) {
      let start = try await repository.watermark(view: view.name) ?? Int64.min
      outcomes.append(
        start >= end
          ? MaterializeOutcome(view: view.name, rowsWritten: 0, watermark: start) : try await materialize(view, from: start, to: end))
    }
    return outcomes
  }

  /// One view: the SQL copy, the changed rows into memory, then the watermark (moved last, so
  /// an interrupted run is simply repeated).
  func materialize(_ view: FeatureViewDefinition, from start: Int64, to end: Int64) async throws -> MaterializeOutcome {
    let (changes, change) = try await repository.materialize(view: view.name, start: start, end: end)
    online.apply(view: view.name, changes)
    applied(change)
    let watermark = max(end, try await repository.watermark(view: view.name) ?? end)
    try await repository.setWatermark(view: view.name, watermark)
    return MaterializeOutcome(view: view.name, rowsWritten: changes.count, watermark: watermark)
  }

  /// The named views, or every online view when none is named.
  /// - Throws: NOT_FOUND or FAILED_PRECONDITION (no online store) naming `feature_views[i]`.
  func onlineViews(_ names: [String]) async throws -> [FeatureViewDefinition] {
    if names.isEmpty {
      try await refresh()
      return catalog.views.values.filter(\.online).sorted { $0.name < $1.name }
    }
    return try await names.enumerated().asyncMap { index, name in
      let view = try await view(name, field: "feature_views[\(index)]")
      guard view.online else {
        throw FeatureStoreError.failedPrecondition(field: "feature_views[\(index)]", reason: "feature view '\(name)' keeps no online store")
      }
      return view
    }
  }
}

extension Sequence {
  /// `map` with an async transform, in order (the transforms read the database one by one).
  func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
    var out: [T] = []
    for element in self { out.append(try await transform(element)) }
    return out
  }
}
