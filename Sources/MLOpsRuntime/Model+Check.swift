import Foundation

extension Model {
  /// The feeds and results of a model that passed ``check(bytes:limits:)``.
  public struct Interface: Sendable, Equatable {
    public let inputs: [ValueSpec]
    public let outputs: [ValueSpec]

    public init(inputs: [ValueSpec], outputs: [ValueSpec]) {
      self.inputs = inputs
      self.outputs = outputs
    }
  }

  /// Checks `bytes` exactly as loading them would, with the same errors in the same order, and
  /// returns the feeds and results a loaded model would have. It does not keep a runnable
  /// model. Raw numeric initializers are checked for their size but not decoded, unless a
  /// node folded at load reads them. A registry checking a 50 MB upload that it will never
  /// run skips copying the weights out.
  public static func check(bytes: Data, limits: ModelLimits = .standard) throws -> Interface {
    try check(ModelSummary(bytes: bytes, limits: limits), limits: limits)
  }

  /// ``check(bytes:limits:)`` for a file already decoded: `mlops model check` prints the
  /// summary first and then checks it, without decoding the file a second time.
  public static func check(_ summary: ModelSummary, limits: ModelLimits = .standard) throws -> Interface {
    let plan = try plan(summary, limits: limits, materializesConstants: false)
    return Interface(inputs: plan.inputSlots.map(\.spec), outputs: summary.outputs)
  }

  /// The graph planned, after the checks that come before planning.
  static func plan(_ summary: ModelSummary, limits: ModelLimits, materializesConstants: Bool) throws -> ExecutionPlan {
    guard summary.proto.functions.isEmpty else {
      throw ModelError.unsupported("the model defines local functions, which are not supported")
    }
    var builder = GraphBuilder(
      graph: summary.proto.graph, opsets: summary.importedOpsets, limits: limits,
      materializesConstants: materializesConstants)
    return try builder.build()
  }
}
