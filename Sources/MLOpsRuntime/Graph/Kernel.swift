/// One planned operator: built once at load from the node's attributes (all validation happens
/// there), then run for every call. Kernels are immutable, so one model serves concurrent
/// calls without locks.
protocol Kernel: Sendable {
  /// Computes the node's outputs; `inputs[i]` is nil for an omitted optional input.
  func run(_ inputs: [Value?]) throws -> [Value]
}
